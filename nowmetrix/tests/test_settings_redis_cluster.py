"""A cluster REDIS_URL needs plain servers for pub/sub, the cache and Celery: without them a
process stops at start with a message that says what to set; with them it starts."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = ("import django; django.setup(); from django.conf import settings as s; "
        "print(s.NOWMETRIX_REDIS_CLUSTER, s.NOWMETRIX_PUBSUB_REDIS_URLS, s.CELERY_BROKER_URL, "
        "s.CHANNEL_LAYERS['default']['CONFIG']['hosts'], s.CACHES['default']['OPTIONS']['CLIENT_CLASS'])")


def _settings(**env: str) -> subprocess.CompletedProcess:
    child = {k: v for k, v in os.environ.items() if k not in ("NOWMETRIX_PUBSUB_REDIS_URLS", "CELERY_BROKER_URL")}
    child.update(env, DJANGO_SETTINGS_MODULE="nowmetrix.settings", NOWMETRIX_INSTANCE_FILE="")
    return subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=child, capture_output=True, text=True)


def test_a_cluster_redis_url_without_pubsub_servers_stops_with_what_to_set():
    result = _settings(REDIS_URL="redis+cluster://127.0.0.1:7000")
    assert result.returncode != 0
    assert "REDIS_URL names a Redis Cluster" in result.stderr
    assert "set NOWMETRIX_PUBSUB_REDIS_URLS" in result.stderr


def test_a_cluster_redis_url_with_pubsub_servers_shards_the_channel_layer_and_cache_over_them():
    result = _settings(REDIS_URL="rediss+cluster://127.0.0.1:7000",
                       NOWMETRIX_PUBSUB_REDIS_URLS="redis://10.0.0.1:6379/0, redis://10.0.0.2:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "True ['redis://10.0.0.1:6379/0', 'redis://10.0.0.2:6379/0'] redis://10.0.0.1:6379/0 "
        "['redis://10.0.0.1:6379/0', 'redis://10.0.0.2:6379/0'] django_redis.client.ShardClient")


def test_a_plain_redis_url_serves_everything_by_default():
    result = _settings(REDIS_URL="redis://127.0.0.1:6390/2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "False ['redis://127.0.0.1:6390/2'] redis://127.0.0.1:6390/2 ['redis://127.0.0.1:6390/2'] "
        "django_redis.client.DefaultClient")


def test_the_broker_may_be_rabbitmq_but_never_a_cluster():
    assert _settings(REDIS_URL="redis+cluster://127.0.0.1:7000", NOWMETRIX_PUBSUB_REDIS_URLS="redis://10.0.0.1:6379/0",
                     CELERY_BROKER_URL="amqp://guest:guest@127.0.0.1:5672//").stdout.split()[2] == \
        "amqp://guest:guest@127.0.0.1:5672//"
    refused = _settings(REDIS_URL="redis://127.0.0.1:6379/0", CELERY_BROKER_URL="redis+cluster://127.0.0.1:7000")
    assert refused.returncode != 0 and "CELERY_BROKER_URL cannot be a Redis Cluster" in refused.stderr

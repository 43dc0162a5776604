"""Scale-out end to end: two web processes (the real ASGI app under uvicorn, each with its own
batcher and spool) and two Celery workers (one of them running beat) on a 3-master Redis
Cluster, RabbitMQ as the broker, pub/sub on a private plain Redis. Known traffic through both
web processes gives exact counts through the API of either, an SSE client on each web
process receives the snapshots the workers build, and the shards' pass records show both
workers building, each pass every tracker of its shard once."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
import uuid
from collections import Counter

import pytest

from nowmetrix.pytest_plugin import RUN_PREFIX, delete_keys
from realtime import keys, live_state
from realtime.tests.faults import use_redis
from realtime.tests.servers import manage, start_celery_worker, start_redis, start_uvicorn, wait_until
from realtime.tests.traffic import DESKTOP_CHROME, IPHONE

RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672//"  # the machine's RabbitMQ; this test uses its own queue
HOST = "scale.example"
PATHS = ["/", "/politics", "/sport", "/weather"]
TRACKERS = 3  # several slots, so the flushes write to several nodes
VISITORS = 30  # per tracker
PAGEVIEWS_PER_VISITOR = 3

SEED = r"""
import json
from trackers import services
from trackers.models import Scope
admin, _ = services.user_get_or_create(email="ops@scale.example", password="correct horse battery staple")
account = services.account_create(name="Scale", owner=admin, timezone_name="Europe/Zurich")
trackers = [services.tracker_create(account=account, name=f"Site {i}", hosts=["scale.example"]) for i in range(%d)]
secret = services.api_key_issue(account=account, name="full", created_by=admin, scope=Scope.FULL)[1]
print(json.dumps({"sites": [t.public_id for t in trackers], "secret": secret}))
"""


class SnapshotStream:
    """An SSE client of /v1/realtime/stream on one web process, read in a thread: keeps every
    `snapshot` event's payload."""

    def __init__(self, port: int, site: str, secret: str):
        self.snapshots: list[dict] = []
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", f"/v1/realtime/stream?site={site}", headers={"Authorization": f"Bearer {secret}"})
        self.response = self.conn.getresponse()
        assert self.response.status == 200
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        event, data = "", ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif not line:
                    if event == "snapshot":
                        self.snapshots.append(json.loads(data))
                    event, data = "", ""
        except (OSError, ValueError, AttributeError, http.client.HTTPException):
            return  # ended by the test (`close`)

    def close(self) -> None:
        """Ends the stream: the reading thread sees the connection end and returns."""
        if self.conn.sock is not None:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        self.thread.join(5)
        self.conn.close()


class ShardPasses:
    """Reads the pass records of some shards (`live_state.shard_done_get`: each shard's last
    pass, overwritten by the next) every 50 ms in a thread, and keeps each pass seen, by (shard,
    tick). The workers log no line per pass, so these records are what tells the passes apart."""

    def __init__(self, shards: set[int]):
        self.shards, self.seen = shards, {}
        self.lock, self.stopped = threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while not self.stopped.wait(0.05):
            for shard in self.shards:
                done = live_state.shard_done_get(shard)
                if done:
                    with self.lock:
                        self.seen[shard, int(done["tick"])] = done

    def records(self) -> dict[tuple[int, int], dict[str, str]]:
        with self.lock:
            return dict(self.seen)

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)


def _post(conn: http.client.HTTPConnection, body: dict, ip: str, ua: str) -> None:
    conn.request("POST", "/collect", body=json.dumps(body),
                 headers={"Content-Type": "text/plain", "User-Agent": ua, "X-Forwarded-For": ip})
    response = conn.getresponse()
    response.read()
    assert response.status == 204


def _realtime(port: int, site: str, secret: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", f"/v1/realtime?site={site}",
                     headers={"Authorization": f"Bearer {secret}", "Cache-Control": "no-cache"})
        response = conn.getresponse()
        assert response.status == 200
        return json.loads(response.read())
    finally:
        conn.close()


def _delete_queue(url: str, name: str) -> None:
    """Remove this test's own queue and exchange from the shared RabbitMQ (never another's)."""
    from kombu import Connection

    with Connection(url) as conn:
        channel = conn.channel()
        channel.queue_delete(name)
        channel.exchange_delete(name)


@pytest.mark.slow
def test_two_web_processes_and_two_workers_on_a_cluster_count_every_hit_exactly(redis_cluster, tmp_path, settings):
    prefix = f"{RUN_PREFIX}-scale-{uuid.uuid4().hex[:6]}"
    pubsub = start_redis()
    env = {
        "REDIS_URL": redis_cluster.url,
        "NOWMETRIX_PUBSUB_REDIS_URLS": pubsub.url,
        "CELERY_BROKER_URL": RABBITMQ_URL,
        "NOWMETRIX_REDIS_PREFIX": prefix,  # also names the RabbitMQ queue: `<prefix>-default`
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    manage(env, "migrate", "--noinput")
    world = json.loads(manage(env, "shell", "-c", SEED % TRACKERS).strip().splitlines()[-1])
    sites, secret = world["sites"], world["secret"]

    # This process reads the pass records and build stamps on the cluster, under the test's prefix.
    settings.NOWMETRIX_REDIS_PREFIX, machine_redis = prefix, settings.REDIS_URL
    shard_of = {site: keys.tick_shard(site) for site in sites}
    processes, streams, passes = [], [], None
    try:
        use_redis(settings, redis_cluster.url)
        webs = [start_uvicorn({**env, "NOWMETRIX_SPOOL_DIR": str(tmp_path / f"spool-{n}")}) for n in range(2)]
        processes += webs
        worker_flags = ("--without-mingle", "--without-gossip", "--without-heartbeat")
        processes.append(start_celery_worker(env, beat=True, args=("-n", f"{prefix}-a@%h", *worker_flags)))
        processes.append(start_celery_worker(env, beat=False, args=("-n", f"{prefix}-b@%h", *worker_flags)))
        streams = [SnapshotStream(web.port, sites[0], secret) for web in webs]
        passes = ShardPasses(set(shard_of.values()))

        # Ground truth: every visitor sends PAGEVIEWS_PER_VISITOR pageviews, in rounds (a visitor's
        # next pageview comes after everyone else's, as in life: seconds apart, not within one
        # millisecond), alternately through each web process; the last one decides their page.
        pageviews = {site: Counter() for site in sites}
        last_page: dict[tuple[str, int], str] = {}
        conns = [http.client.HTTPConnection("127.0.0.1", web.port, timeout=10) for web in webs]
        for k in range(PAGEVIEWS_PER_VISITOR):
            for s, site in enumerate(sites):
                for v in range(VISITORS):
                    ip, ua = f"10.{s}.{v // 250}.{v % 250 + 1}", IPHONE if v % 3 == 0 else DESKTOP_CHROME
                    path = PATHS[(v + k) % len(PATHS)]
                    _post(conns[(v + k) % 2], {"s": site, "e": "pv", "u": f"https://{HOST}{path}"}, ip, ua)
                    pageviews[site][path] += 1
                    last_page[site, v] = path
        on_page = {site: Counter(path for (s, _v), path in last_page.items() if s == site) for site in sites}
        for conn in conns:
            conn.close()

        for site in sites:
            total = sum(pageviews[site].values())
            for web in webs:  # either process serves the workers' snapshot
                body = wait_until(lambda: (b := _realtime(web.port, site, secret))["total_pageviews_today"] == total
                                  and b, timeout=60, interval=0.25, message=f"the snapshot of {site}")
                assert body["total_realtime"] == VISITORS
                # A HyperLogLog: within its standard error (0.81%), as realtime/tests/faults.py checks.
                assert abs(body["total_unique_visitors_today"] - VISITORS) <= 1
                assert body["devices"] == {"mobile": VISITORS // 3, "desktop": VISITORS - VISITORS // 3}
                pages = {p["url"]: (p["realtime_users"], p["pageviews_today"]) for p in body["top_pages"]}
                assert pages == {path: (on_page[site][path], pageviews[site][path]) for path in pageviews[site]}

        all_live = time.time()  # every hit counted: from here on a shard's pass builds all of its trackers
        total = sum(pageviews[sites[0]].values())
        for stream in streams:
            wait_until(lambda: any(snap["total_pageviews_today"] == total for snap in stream.snapshots), timeout=30,
                       interval=0.1, message="an SSE client to receive the final snapshot")
            final = next(snap for snap in stream.snapshots if snap["total_pageviews_today"] == total)
            assert final["site"] == sites[0] and final["total_realtime"] == VISITORS

        # Both workers ran shard passes (a record names its worker: host and process id).
        wait_until(lambda: len({done["worker"] for done in passes.records().values() if int(done["built"])}) == 2,
                   timeout=30, interval=0.1, message="a shard pass by each worker")
        # Every pass that ended once every hit was counted (three ticks of each shard at least) built
        # each tracker of its shard once.
        after = lambda: Counter(shard for (shard, _), done in passes.records().items()  # noqa: E731
                                if float(done["at"]) > all_live)
        wait_until(lambda: all(after()[shard] >= 3 for shard in shard_of.values()), timeout=30, interval=0.1,
                   message="three passes of every shard after the traffic")
        for shard in set(shard_of.values()):
            built = {int(done["built"]) for (s, _), done in passes.records().items() if s == shard
                     and float(done["at"]) > all_live}
            assert built == {sum(1 for site in sites if shard_of[site] == shard)}, shard
        # No pass built a tracker after its shard's last recorded pass: with the workers stopped,
        # each tracker's build stamp names the tick of that pass.
        passes.stop()
        for worker in processes[2:]:
            worker.stop()
        for site in sites:
            assert live_state.tracker_built_get(site)["tick"] == int(live_state.shard_done_get(shard_of[site])["tick"])
    finally:
        if passes is not None:
            passes.stop()
        use_redis(settings, machine_redis)
        for stream in streams:
            stream.close()
        for process in processes:
            process.stop()
        pubsub.discard()
        _delete_queue(RABBITMQ_URL, f"{prefix}-default")
        delete_keys(redis_cluster.url, prefix)

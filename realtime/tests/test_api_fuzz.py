"""schemathesis against `/v1/openapi.json` on a live server: every operation, every check, with
a valid key, with none and with a bad one, and with the valid key on its own tracker. No 5xx,
every answer as documented, and no stored count changes. Deterministic: the same cases every run
(about 1,100 requests, a minute or so)."""

from __future__ import annotations

import http.client
import json
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest
import schemathesis
from schemathesis.checks import CHECKS

from realtime import live_state
from realtime.tests.servers import manage, start_uvicorn

pytestmark = pytest.mark.slow

ALL_CHECKS = CHECKS.get_all()
MAX_EXAMPLES = 50  # per operation and phase: about 350 requests a run
SETUP = """
import json
from trackers import services
from trackers.models import Scope
admin, _ = services.user_get_or_create(email="lois@planet.example", password="correct horse battery staple")
account = services.account_create(name="Daily Planet", owner=admin, timezone_name="UTC")
tracker = services.tracker_create(account=account, name="Planet", hosts=["planet.example"])
services.tracker_update(tracker=tracker, public_counter=True)
secret = services.api_key_issue(account=account, name="fuzz", scope=Scope.READ_ONLY)[1]
print("SETUP=" + json.dumps({"site": tracker.public_id, "secret": secret}))
"""
AUTHORIZATION = {"valid": None, "none": None, "bad": "Bearer nm_" + "B" * 43}


def _request(server, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Stack:
    def __init__(self, server, site: str, secret: str):
        self.server, self.site, self.secret = server, site, secret
        self.cases = 0

    def authorization(self, kind: str) -> dict[str, str]:
        if kind == "none":
            return {}
        return {"Authorization": f"Bearer {self.secret}" if kind == "valid" else AUTHORIZATION[kind]}

    def counts(self) -> dict:
        """Everything the fuzzing must not change: the tracker's numbers and the drop counters."""
        status, body = _request(self.server, "GET", f"/v1/realtime?site={self.site}",
                                {"Authorization": f"Bearer {self.secret}", "Cache-Control": "no-cache"})
        assert status == 200, body
        snap = json.loads(body)
        today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        return {"realtime": snap["total_realtime"], "pageviews": snap["total_pageviews_today"],
                "visitors": snap["total_unique_visitors_today"], "drops": live_state.drops_get(self.site, today)}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'db.sqlite3'}",
           "NOWMETRIX_RATE_LIMIT_PER_MIN": "1000000",
           "NOWMETRIX_PUBLIC_RATE_LIMIT_PER_MIN": "1000000"}
    manage(env, "migrate", "--noinput")
    setup = json.loads(re.search(r"^SETUP=(.*)$", manage(env, "shell", "-c", SETUP), re.MULTILINE).group(1))
    with start_uvicorn(env) as server:
        for path in ("/", "/story"):  # some traffic, so the numbers the fuzzing must not move are not all zero
            hit = json.dumps({"s": setup["site"], "e": "pv", "u": f"https://planet.example{path}"})
            assert _request(server, "POST", "/collect", {"Content-Type": "text/plain"}, hit)[0] == 204
        stack = Stack(server, setup["site"], setup["secret"])
        stack.before = stack.counts()
        yield stack


def _schemathesis(stack: Stack, auth: str, workdir, *extra: str) -> str:
    """The schemathesis CLI against the live server's schema: every check, deterministic
    generation (the same cases every run), a bounded number of cases (not `--max-time`, which
    makes fuzzing repeat until the time is spent). Returns its report."""
    headers = [arg for name, value in stack.authorization(auth).items() for arg in ("-H", f"{name}: {value}")]
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{stack.server.url}/v1/openapi.json", "--checks", "all",
         "--max-examples", str(MAX_EXAMPLES), "--generation-deterministic",
         "--workers", "1", "--request-timeout", "10",
         "--no-color", *headers, *extra],
        cwd=workdir, capture_output=True, text=True, timeout=300,  # its cache stays out of the repository
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    return result.stdout


@pytest.mark.parametrize("auth", ["valid", "none", "bad"])
def test_schemathesis_finds_nothing_and_no_count_changes(stack, auth, tmp_path):
    before = stack.counts()
    report = _schemathesis(stack, auth, tmp_path)
    cases = int(re.search(r"Test cases:\s+(\d+) generated", report).group(1))
    assert cases >= 200, report
    assert stack.counts() == before == stack.before


def test_schemathesis_finds_nothing_on_the_keys_own_tracker(stack, tmp_path):
    """`site` fixed to the key's tracker, so the answers are the real 200s (and 304s), with every
    other parameter fuzzed. The event stream is left out: it stays open by design."""
    (tmp_path / "schemathesis.toml").write_text(f'[parameters]\n"query.site" = "{stack.site}"\n')
    before = stack.counts()
    report = _schemathesis(stack, "valid", tmp_path, "--exclude-path", "/v1/realtime/stream")
    assert int(re.search(r"Test cases:\s+(\d+) generated", report).group(1)) >= 50, report
    assert stack.counts() == before == stack.before


@pytest.mark.parametrize("path", ["/v1/realtime", "/v1/sources", "/v1/public/active", "/api/me"])
def test_real_answers_match_the_schema(stack, path):
    schema = schemathesis.openapi.from_url(f"{stack.server.url}/v1/openapi.json")
    query = {"/v1/public/active": {"site": stack.site, "url": "/story"}, "/api/me": {}}.get(path, {"site": stack.site})
    response = schema[path]["GET"].Case(query=query).call_and_validate(
        base_url=stack.server.url, headers=stack.authorization("valid"), checks=ALL_CHECKS)
    assert response.status_code == 200, response.text

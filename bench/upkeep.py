"""Issue 16, item 4: database queries spent keeping live sockets' access current.

A socket re-checks its login and access with `LiveConsumer.access_ended` (the real method, on
real consumers with real sessions in the bench's database, its queries counted with Django's
CaptureQueriesContext). Before the announcements every socket did so every 30 s; now only
every NOWMETRIX_ACCESS_RECHECK_SECS (the safety net), plus once per announced change that
concerns it (a logout costs none: the socket is told the verdict).

The per-minute and per-second figures follow from the counted queries and each period, for
SOCKETS sockets in the mix of DASHBOARD_SHARE dashboards (half of an Editor's) and overviews:
the schedule is exactly the consumer's, so simulating the minute would only repeat the sums."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.report import SectionResult

SOCKETS = 5_000
DASHBOARD_SHARE = 0.8
BEFORE_PERIOD_SECS = 30.0  # the re-check period before access changes were announced


def _consumer(kind: str, user, session_key: str, site: str):
    from realtime import consumers

    cls = consumers.TrackerConsumer if kind == "dashboard" else consumers.OverviewConsumer
    consumer = cls()
    consumer.scope = {"type": "websocket", "user": user, "session": SessionStore(session_key=session_key),
                      "url_route": {"kwargs": {"public_id": site}}}
    return consumer


def _queries_per_check(consumer) -> int:
    with CaptureQueriesContext(connection) as captured:
        code = async_to_sync(consumer.access_ended)()
    if code is not None:
        raise RuntimeError(f"the access check of a socket that keeps its access answered {code}")
    return len(captured.captured_queries)


def run(ctx) -> SectionResult:
    from trackers import services
    from trackers.models import Role

    res = SectionResult("upkeep")
    stack = ctx.app_stack()
    tracker = stack.tracker("upkeep")
    editor, _ = services.user_get_or_create(email="upkeep-editor@bench.example")
    if not editor.memberships.exists():
        services.membership_add(account=stack.account, user=editor, role=Role.EDITOR, trackers=[tracker])

    def session_of(user) -> str:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    kinds = {
        "dashboard_admin": ("dashboard", stack.user, DASHBOARD_SHARE / 2),
        "dashboard_editor": ("dashboard", editor, DASHBOARD_SHARE / 2),
        "overview_admin": ("overview", stack.user, 1 - DASHBOARD_SHARE),
    }
    after_period = settings.NOWMETRIX_ACCESS_RECHECK_SECS
    res.details = {"sockets": SOCKETS, "before_period_secs": BEFORE_PERIOD_SECS, "after_period_secs": after_period,
                   "mix": {name: share for name, (_k, _u, share) in kinds.items()}, "queries_per_check": {}}
    for _ in range(ctx.runs):
        counted = {name: _queries_per_check(_consumer(kind, user, session_of(user), tracker.public_id))
                   for name, (kind, user, _share) in kinds.items()}
        res.details["queries_per_check"] = counted
        per_check = sum(counted[name] * share for name, (_k, _u, share) in kinds.items())
        before = per_check * 60 / BEFORE_PERIOD_SECS
        after = per_check * 60 / after_period
        res.add("upkeep.queries_per_check", per_check)
        res.add("upkeep.before_per_socket_min", before)
        res.add("upkeep.after_per_socket_min", after)
        res.add("upkeep.before_per_sec", before * SOCKETS / 60)
        res.add("upkeep.after_per_sec", after * SOCKETS / 60)
        res.add("upkeep.after_pct_of_before", 100 * after / before)
    return res

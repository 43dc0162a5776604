"""Simulated visitors, driven through a running server's real ingest endpoints.

Why: live numbers are only worth showing if what browsers send through the real HTTP path
(POST /collect, GET /pixel.gif, enrichment, batching, the Lua scripts) comes out exactly in
the snapshot; and `make demo-traffic` needs a dashboard that moves. Each visitor is an IP and a
User-Agent (the IP sent as X-Forwarded-For, which the server trusts from loopback only, so
point it at a local server). The ground truth follows shared/spec/semantics.md: a visitor is
active from a pageview or heartbeat until a leave or the end of the live window; the current
page is the latest pageview; a visit keeps the source of its first hit.

In the order a hit is made: `catalog` (places, browsers, arrivals, pages), `traffic` (who
comes, what each sends next), `client` (keep-alive HTTP), `runner` (pacing), `truth`.
"""

from devstack.simulator.catalog import AGENTS, BOTS, EVENTS, LANDINGS, PAGES, PLACES  # noqa: F401
from devstack.simulator.runner import Options, run, run_until_signalled  # noqa: F401
from devstack.simulator.traffic import Hit, Traffic, Visitor  # noqa: F401
from devstack.simulator.truth import Truth  # noqa: F401

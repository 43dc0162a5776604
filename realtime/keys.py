"""The Redis key schema of the live state: every key NowMetrix writes is built here.

All keys start with `settings.NOWMETRIX_REDIS_PREFIX` (it carries the schema version). The keys
of one tracker share the Redis Cluster hash tag `{t:<public id>}`, so each tracker lives on
one slot and its Lua scripts touch a single node. Writers and readers named below; only
`realtime.live_state` issues commands.

On a Redis Cluster (README, "Deployment") a tracker's keys are one slot, so its Lua scripts and
pipelines stay on one node. The keys below `tracker_group` that are not a tracker's have a home
of their own, written down in GLOBAL_KEY_HOMES: each lives on the slot of its own name (no hash
tag), because every command on it names that key alone. So no command or script ever crosses
slots, and per-request counters (rate limits, quotas) spread over the nodes by name. A new global
key gets a row there (a test checks it) and must keep to single-key commands.

Memory is bounded by active visitors plus today's pages: per-visitor entries are removed by
expiry, counters drop members that reach zero, dated keys carry TTLs.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.conf import settings

DAY_KEY_TTL_SECS = 2 * 86400  # dated keys outlive their local day by one day (late readers)
CONFIG_TTL_SECS = 86400  # refreshed every minute by the publish task
DROPS_TTL_SECS = 8 * 86400  # a week of dropped-hit counters for the settings page
APPLIED_TTL_SECS = 8 * 86400  # batch ids applied: longer than any retry or spooled replay
SNAPSHOT_TTL_SECS = 3600
REVOKED_MARK_TTL_SECS = 300
LIVE_TRACKER_RETENTION_SECS = 31 * 60  # a tracker stays "live" for snapshots 31 min after its last hit
RECENT_HITS_SECS = 30 * 60
VISIT_SECS = 30 * 60  # a visit ends after 30 minutes without a hit (semantics.md)
LEFT_TTL_SECS = VISIT_SECS + 60  # a left visitor's source outlives the visit it may resume
MINUTE_SERIES_SECS = 30 * 60  # GA-compatible `rt:pageviews`, `rt:totalEvents`, minutesAgo
SERIES_TTL_SECS = 31 * 60  # a quiet tracker's minute series and hit log vanish on their own
# Cap on a minute of the 30-minute hit log, whatever the traffic: ~190,000 hits whose entries
# reference their visitor's record (~45 B), fewer that carry it.
HIT_LOG_MAX_BYTES_PER_MINUTE = 8 * 2**20
GA4_SLOT_SECS = 120  # a GA4 request holds a concurrency slot at most this long (crashed processes)
# History counters (read by the `history` rollup every minute). Slots are 15-minute UTC slots:
# every time zone's offset is a multiple of 15 minutes, so a UTC slot is exactly one local slot.
# Kept three days, so a rollup worker stopped for up to a day catches up without loss.
# The Lua scripts get both from the generated header (`realtime.lua_header`).
HISTORY_SLOT_SECS = 15 * 60
HISTORY_KEY_TTL_SECS = 3 * 86400
HISTORY_MARK_TTL_SECS = HISTORY_KEY_TTL_SECS + 86400  # outlives every date the rollup may still read, by a day
HISTORY_LOCK_SECS = 55  # longer than a rollup takes, shorter than its one-minute cadence

# Separators inside packed values. Ingest strips control characters from every input string.
FIELD_SEP = "\t"
PART_SEP = "\x1f"
HIT_SEP = "\x1e"  # between the values of a batch of hits sent to ingest.lua


def prefix() -> str:
    return settings.NOWMETRIX_REDIS_PREFIX


def tracker_base(public_id: str) -> str:
    """`<prefix>:{t:<id>}`: the base every per-tracker key appends one of the suffixes below to
    (`tracker_key` in Python; the generated Lua header's `K_*` names in the scripts)."""
    return f"{prefix()}:{{t:{public_id}}}"


@dataclass(frozen=True)
class Suffix:
    """One per-tracker key: `tracker_base + value` (+ a date, slot or page id where `value`
    ends with a colon). `lua` is its name in the header prepended to every Lua script."""

    lua: str
    value: str
    type: str
    ttl: str
    writer: str
    doc: str


def tracker_key(public_id: str, suffix: Suffix, part: str | int = "") -> str:
    """The key of `suffix` for one tracker; `part` is the date, slot or page id of a suffix
    ending with a colon."""
    return f"{tracker_base(public_id)}{suffix.value}{part}"


# The per-tracker keys. Writers: ingest.lua (hits), expire.lua (the tick's expiry),
# history_restore.lua (the history rollup), live_state (Python).
ACTIVE = Suffix("K_ACT", ":act", "ZSET", "none (members expire)", "ingest.lua, expire.lua",
                "visitor id -> last pageview/heartbeat time (unix s): the active visitors")
VISITORS = Suffix("K_VIS", ":vis", "HASH", "none (members expire)", "ingest.lua, expire.lua",
                  "visitor id -> packed record (realtime.ingest.record)")
LEFT = Suffix("K_LEFT", ":left", "HASH", "LEFT_TTL_SECS", "ingest.lua, expire.lua",
              "visitor id -> their record after the page id (fields 1-15) when they left the live state (leave "
              "signal or expiry) less than VISIT_SECS ago: a returning visitor resumes the visit's source and "
              "keyword, and the hit log's entries still reference the record (see HIT_LOG)")
LEFT_AT = Suffix("K_LEFTZ", ":leftz", "ZSET", "LEFT_TTL_SECS", "ingest.lua, expire.lua",
                 "visitor id -> end of their last hit; the tick forgets ended visits")
DEVICES = Suffix("K_DEV", ":dev", "HASH", "none (members reach zero)", "ingest.lua, expire.lua",
                 "device class -> active visitors")
PAGES = Suffix("K_PG", ":pg", "ZSET", "none (members reach zero)", "ingest.lua, expire.lua",
               "page id -> active visitors")
PAGE_SOURCES = Suffix("K_PSRC", ":psrc:", "ZSET", "deleted with its page", "ingest.lua, expire.lua",
                      "`:psrc:<page id>`: source member -> active visitors on that page")
COUNTRIES = Suffix("K_CC", ":cc", "ZSET", "none (members reach zero)", "ingest.lua, expire.lua",
                   "`CC\\x1fCountry name` -> active visitors")
CITIES = Suffix("K_CITY", ":city", "ZSET", "none (members reach zero)", "ingest.lua, expire.lua",
                "`CC\\x1fCity` -> active visitors")
SOURCES = Suffix("K_SRC", ":src", "ZSET", "none (members reach zero)", "ingest.lua, expire.lua",
                 "`medium\\x1fsource\\x1fchild` -> active visitors")
PAGE_META = Suffix("K_PMETA", ":pmeta", "HASH", "DAY_KEY_TTL_SECS", "ingest.lua",
                   "page id -> packed `host path title og_image author pubdate`")
DAY_PAGEVIEWS = Suffix("K_PV", ":pv:", "HASH", "DAY_KEY_TTL_SECS", "ingest.lua, history_restore.lua",
                       "`:pv:<local date>`: page id -> pageviews on that date")
DAY_PAGEVIEWS_TOTAL = Suffix("K_PVT", ":pvt:", "STRING", "DAY_KEY_TTL_SECS", "ingest.lua, history_restore.lua",
                             "`:pvt:<local date>`: pageviews on that date")
DAY_UNIQUES = Suffix("K_UV", ":uv:", "HyperLogLog", "DAY_KEY_TTL_SECS", "ingest.lua, history_restore.lua",
                     "`:uv:<local date>`: the visitors of that date")
MINUTE_PAGEVIEWS = Suffix("K_MPV", ":mpv", "HASH", "SERIES_TTL_SECS", "ingest.lua",
                          "unix minute -> pageviews (trimmed to MINUTE_SERIES_SECS by the tick)")
MINUTE_EVENTS = Suffix("K_MEV", ":mev", "HASH", "SERIES_TTL_SECS", "ingest.lua",
                       "unix minute -> events (trimmed to MINUTE_SERIES_SECS by the tick)")
MINUTE_ACTIVE = Suffix("K_MAU", ":mau", "HASH", "SERIES_TTL_SECS", "live_state.snapshot_store",
                       "unix minute -> the minute's peak of active users (the snapshot builder)")
HIT_LOG = Suffix("K_HITS", ":hl:", "STRING", "SERIES_TTL_SECS from its first hit", "ingest.lua",
                 "`:hl:<unix minute>`: the pageviews and events of that minute (by the hit's own time) for the GA-"
                 "compatible API's 30-minute queries, appended by ingest up to HIT_LOG_MAX_BYTES_PER_MINUTE. Each hit is "
                 "`kind\\tvisitor id\\tpage id\\tevent\\trecord` + HIT_SEP, where record is the visitor "
                 "record after the page id, empty when it is the visitor's own: the first of HIT_PROFILES, "
                 "VISITORS, LEFT that holds the visitor (each holds it until the visit ended, VISIT_SECS after "
                 "the visitor's last pageview or heartbeat, and a hit that references it is not later than that)")
HIT_PROFILES = Suffix("K_HPROF", ":hprof", "HASH", "LEFT_TTL_SECS", "ingest.lua, expire.lua",
                      "visitor id -> the record after the page id that the visitor's logged hits reference, frozen "
                      "when their live record changes otherwise than by page (another user type, device...) or a "
                      "visit resumes with another one; forgotten with LEFT when the visit ended")
MINUTE_PAGE_VIEWS = Suffix("K_MPG", ":mpg:", "HASH", "SERIES_TTL_SECS from its first page",
                           "ingest.lua", "`:mpg:<unix minute>`: page id -> pageviews logged in that minute (by the "
                           "hit's own time): the GA APIs' pageviews by page and minute without reading the log")
HISTORY_SLOT = Suffix("K_HS", ":hs:", "HASH", "HISTORY_KEY_TTL_SECS", "ingest.lua, history_restore.lua",
                      "`:hs:<slot>`: `pv` -> pageviews, `vi` -> visits begun, in UTC 15-minute slot <slot> "
                      "(unix time // HISTORY_SLOT_SECS)")
DAY_PAGE_VISITS = Suffix("K_PVI", ":pvi:", "HASH", "HISTORY_KEY_TTL_SECS", "ingest.lua, history_restore.lua",
                         "`:pvi:<local date>`: page id -> visits begun there (a visit's entry page)")
HISTORY_MARK = Suffix("K_HMARK", ":hmark:", "STRING", "HISTORY_MARK_TTL_SECS", "history_restore.lua",
                      "`:hmark:<local date>`: set once the rollup has seen (or restored) that date; its absence "
                      "over a date the database holds means Redis lost it, and the rollup adds it back")
HISTORY_RESTORE_TMP = Suffix("K_HRESTORE", ":hrestore", "STRING", "deleted at once", "history_restore.lua",
                             "the restored HyperLogLog, merged into `:uv:<date>` then deleted")
DROPS = Suffix("K_DROP", ":drop:", "HASH", "DROPS_TTL_SECS", "ingest.lua",
               "`:drop:<local date>`: drop reason (realtime.drops.DropReason) -> dropped hits")
APPLIED = Suffix("K_APPLIED", ":applied", "HASH", "APPLIED_TTL_SECS", "ingest.lua",
                 "writer id -> highest batch sequence number applied: a resent or replayed batch applies once")
APPLIED_AT = Suffix("K_APPLIEDZ", ":appliedz", "ZSET", "APPLIED_TTL_SECS", "ingest.lua",
                    "writer id -> when it last wrote (silent writers are forgotten after APPLIED_TTL_SECS)")
FIRST_HIT = Suffix("K_FIRST", ":first", "STRING", "none (one per tracker, ever)", "ingest.lua",
                   "unix time of the first hit ever")
CONFIG = Suffix("K_CFG", ":cfg", "HASH", "CONFIG_TTL_SECS", "live_state.tracker_config_publish",
                "the tracker's ingest configuration (see `tracker_config`)")
SNAPSHOT = Suffix("K_SNAP", ":snap", "HASH", "SNAPSHOT_TTL_SECS", "live_state.snapshot_store",
                  "the latest live snapshot (see `snapshot`)")
CHANGES = Suffix("K_CHG", ":chg", "STRING", "SERIES_TTL_SECS", "ingest.lua",
                 "counter moved by every batch that applied a hit: the live state changed since a build that saw "
                 "a lower value (the watched trackers' fast rebuilds compare it with `:built`)")
BUILT = Suffix("K_BUILT", ":built", "HASH", "SNAPSHOT_TTL_SECS", "live_state.trackers_built_mark",
               "`chg` -> the `:chg` value the latest snapshot saw, `tick` -> the tick (unix ms) it was last built in, "
               "`n` -> tick builds, `f` -> fast rebuilds (counters the tick tests and the bench read)")

SUFFIXES: tuple[Suffix, ...] = (
    ACTIVE, VISITORS, LEFT, LEFT_AT, DEVICES, PAGES, PAGE_SOURCES, COUNTRIES, CITIES, SOURCES, PAGE_META,
    DAY_PAGEVIEWS, DAY_PAGEVIEWS_TOTAL, DAY_UNIQUES, MINUTE_PAGEVIEWS, MINUTE_EVENTS, MINUTE_ACTIVE, HIT_LOG,
    HIT_PROFILES, MINUTE_PAGE_VIEWS,
    HISTORY_SLOT, DAY_PAGE_VISITS, HISTORY_MARK, HISTORY_RESTORE_TMP, DROPS, APPLIED, APPLIED_AT, FIRST_HIT,
    CONFIG, SNAPSHOT, CHANGES, BUILT,
)

# The live counters the GA-compatible API reads by name (`gacompat.registry`'s `counter=`).
LIVE_COUNTERS: dict[str, Suffix] = {"dev": DEVICES, "pg": PAGES, "cc": COUNTRIES, "city": CITIES, "src": SOURCES}

def tracker_config(public_id: str) -> str:
    """HASH of the tracker's ingest configuration (active, hosts, tz, window, dnt...). Written by
    `live_state.tracker_config_publish` on save and every minute; read by ingest. TTL CONFIG_TTL_SECS."""
    return tracker_key(public_id, CONFIG)


def config_generation() -> str:
    """STRING counter, INCR by `live_state.tracker_config_publish` after every publish (no TTL).
    Ingest processes read it once a second and reload the settings they know when it moves;
    its absence means the settings were never published to this Redis (an empty restart)."""
    return f"{prefix()}:cfggen"


def snapshot(public_id: str) -> str:
    """HASH `realtime`, `sources`, `extras` (pre-serialized JSON), `etag`, `built_at`, `seq` (its number, one up
    per build: what delta frames count from): the latest live snapshot. Written by
    the snapshot builder, read by the API and the dashboard. TTL SNAPSHOT_TTL_SECS."""
    return tracker_key(public_id, SNAPSHOT)


def history_lock() -> str:
    """STRING lock (SET NX EX HISTORY_LOCK_SECS) held by the one history rollup running, so two
    workers or beats never roll up at once. Written and released by `live_state.history`."""
    return f"{prefix()}:lock:history"


# --- the sharded tick ------------------------------------------------------------------
# Trackers are partitioned into settings.NOWMETRIX_TICK_SHARDS shards by a stable hash of their
# public id. A shard's keys share the hash tag `{s:<shard>}`, so each shard lives on one Redis
# Cluster slot (the shards spread over the nodes) and every shard operation is single-slot.
# A tracker's own keys stay under its `{t:<id>}` tag: nothing joins the two in one command.
SHARD_LOCK_MS = 5_000  # renewed while a pass runs: a killed holder delays its shard this long at most
WATCH_SECS = 10  # a watch lapses this long after the last refresh of the socket or stream
WATCH_REFRESH_SECS = 3.0  # how often an open dashboard or stream refreshes its watch
SHARD_DONE_TTL_SECS = 3600


def tick_shard(public_id: str) -> int:
    """The tick shard of a tracker: CRC-32 of its public id modulo the shard count (stable across
    processes and languages, unlike Python's `hash`)."""
    return zlib.crc32(public_id.encode()) % settings.NOWMETRIX_TICK_SHARDS


def _shard_base(shard: int) -> str:
    return f"{prefix()}:{{s:{shard}}}"


def live_trackers(shard: int) -> str:
    """ZSET tracker public id -> unix time of its last accepted hit, one per tick shard (see
    `tick_shard`). Written by ingest (`live_state.ingest_apply`); read and trimmed to
    LIVE_TRACKER_RETENTION_SECS by the shard's pass, which also gives it that TTL (the keys of
    a former shard count vanish on their own): a shard's pass reads its own trackers only, and
    trackers without traffic cost nothing."""
    return f"{_shard_base(shard)}:live"


def shard_lock(shard: int) -> str:
    """STRING lock (SET NX PX SHARD_LOCK_MS, renewed while held) of one tick shard: held by the
    shard's one-second pass (`tick:<worker>:<token>`) or a fast rebuild round (`fast:<worker>:
    <token>`), so two workers never build the same shard at once. Written by `live_state.shards`."""
    return f"{_shard_base(shard)}:lock"


def shard_watched(shard: int) -> str:
    """ZSET tracker public id -> unix time its watch lapses, one per tick shard: trackers with an
    open dashboard WebSocket or SSE stream (refreshed every WATCH_REFRESH_SECS, lapsing WATCH_SECS
    after the last refresh), rebuilt on the fast cadence when they changed. Key TTL WATCH_SECS.
    Written by `live_state.watch_aadd`; read and trimmed by the fast rebuild rounds."""
    return f"{_shard_base(shard)}:watch"


def shard_done(shard: int) -> str:
    """HASH of the shard's last completed one-second pass: `tick` (unix ms of the tick it
    belonged to), `built` (trackers built), `busy_ms`, `worker`, `at` (unix time it ended).
    Written at the end of the pass; a pass of a tick at or before `tick` is not run again (a
    redelivered task builds nothing).
    Read by the tests and the bench. TTL SHARD_DONE_TTL_SECS."""
    return f"{_shard_base(shard)}:done"


def salt(local_date: str) -> str:
    """STRING random secret salt for visitor ids on a local date (SET NX, by
    `live_state.salts_aensure`), expiring an hour after the date has ended in every time zone,
    after which the day's ids can no longer be recomputed by anyone."""
    return f"{prefix()}:salt:{local_date}"


def rate_limit(bucket: str, window_start: int) -> str:
    """STRING request count of one bucket (`key:<api key id>`, or `ip:<keyed hash of an IP>` for
    the public counter) in one fixed window (INCR, EXPIRE window length)."""
    return f"{prefix()}:rl:{bucket}:{window_start}"


def ga_quota(bucket: str) -> str:
    """STRING count of one GA quota bucket; the bucket names its window (`v3:view:<id>:<day>`,
    `ga4:hour:<id>:<hour>`...). INCRBY, EXPIRE NX with the window's TTL. Written and read by
    `live_state.ga_quota_charge` for gacompat/quotas.py."""
    return f"{prefix()}:gaq:{bucket}"


def ga4_concurrent(property_id: int) -> str:
    """ZSET of the GA4 requests in flight for one property: member a request id, score the unix
    time its slot lapses (GA4_SLOT_SECS after it began: a crashed process's slots lapse on their
    own). Key TTL GA4_SLOT_SECS. Written and read by `live_state.ga4_slot_take/_release`."""
    return f"{prefix()}:gac:{property_id}"


def revoked_api_key(hashed_secret: str) -> str:
    """STRING set when a key is revoked, kept REVOKED_MARK_TTL_SECS (longer than any process
    remembers a verified key): the API fast path checks it with the rate limit."""
    return f"{prefix()}:revoked:{hashed_secret[:32]}"


def tracker_group(public_id: str) -> str:
    """Channel-layer group of one tracker's dashboards (Channels forbids colons: dots and hyphens)."""
    return f"tracker.{public_id}"


def account_group(account_id: int) -> str:
    """Channel-layer group of an account's live overview."""
    return f"account.{account_id}"


def user_group(user_id: int) -> str:
    """Channel-layer group of every live socket a user has open (any session, any page): told when
    their login or access changes (`events.announce_access_changed`, `announce_session_ended`)."""
    return f"user.{user_id}"


def api_key_channel(hashed_secret: str) -> str:
    """Redis pub/sub channel on which a key's revocation is announced to its open SSE streams
    (published by `live_state.api_key_mark_revoked`)."""
    return f"{prefix()}:keystream:{hashed_secret[:32]}"


def snapshot_channel(public_id: str) -> str:
    """Redis pub/sub channel on which each new snapshot of a tracker is announced (SSE stream); the
    message format is `realtime.events.sse_message`'s."""
    return f"{prefix()}:snapshots:{public_id}"


CONFIGS_PUBLISHED_TTL_SECS = 3600  # shorter than CONFIG_TTL_SECS: while it exists, so do the configs


def configs_published() -> str:
    """STRING unix time of the last full republish of every tracker's ingest configuration,
    written after it (TTL CONFIGS_PUBLISHED_TTL_SECS). The tick checks it each pass (one EXISTS):
    missing means Redis lost its data, and the tick republishes at once."""
    return f"{prefix()}:cfg-published"


TICK_STATS_SECS = 60  # the tick logs one summary a minute


def tick_stats() -> str:
    """HASH passes, trackers, busy_ms, late (passes that overran the interval), skipped (found the
    lock held) since the last summary. Added to by every tick pass, taken (read and deleted) by
    the pass that writes the summary; no TTL: one small hash, emptied every minute."""
    return f"{prefix()}:tick:stats"


def tick_summary_gate() -> str:
    """STRING (SET NX EX TICK_STATS_SECS): whoever sets it writes the tick's summary log line, so
    an installation logs one a minute whatever the number of workers."""
    return f"{prefix()}:tick:summary"


def tick_warning_gate() -> str:
    """STRING (SET NX EX TICK_WARNING_SECS): at most one "tick falling behind" warning that often."""
    return f"{prefix()}:tick:warned"


TICK_WARNING_SECS = 10


# Where each key that is not a tracker's lives on a Redis Cluster, and why it may (see the
# module docstring). "own slot": the slot of its full name, no hash tag; every command on it is
# single-key. Pipelines that touch several of them (ingest's flush, the API's fast path) are
# split per node by the cluster client, one round trip per node.
GLOBAL_KEY_HOMES: dict[str, str] = {
    "config_generation": "own slot: INCR after a publish, GET by each ingest process once a second",
    "history_lock": "own slot: SET NX EX, and a release script whose one KEYS entry is the lock",
    "live_trackers": "its tick shard's slot ({s:<n>} tag): one ZADD per shard an ingest flush touches; the shards "
                     "spread over the nodes",
    "shard_lock": "its tick shard's slot: SET NX PX, renewed and released by scripts whose one KEYS entry is the lock",
    "shard_watched": "its tick shard's slot: ZADD by sockets and streams, ZRANGEBYSCORE + ZREMRANGEBYSCORE by the "
                     "fast rounds, each naming that key alone",
    "shard_done": "its tick shard's slot: HSET + EXPIRE at the end of a pass, HGETALL",
    "salt": "own slot per date: SET NX + GET, a few keys in all",
    "rate_limit": "own slot per bucket and window: INCR + EXPIRE NX; the buckets spread over the nodes",
    "ga_quota": "own slot per bucket: INCRBY + EXPIRE NX; the buckets spread over the nodes",
    "ga4_concurrent": "own slot per property: a MULTI on that one key",
    "revoked_api_key": "own slot per key: SET EX, EXISTS",
    "configs_published": "own slot: SET EX, EXISTS",
    "tick_stats": "own slot: HINCRBY, then a MULTI of HGETALL + DEL on that one key",
    "tick_summary_gate": "own slot: SET NX EX",
    "tick_warning_gate": "own slot: SET NX EX",
    "api_key_channel": "not a key: a pub/sub channel, published on every server of NOWMETRIX_PUBSUB_REDIS_URLS "
                       "(live_state.api_key_revocation_announce), heard with the snapshot channel",
    "snapshot_channel": "not a key: a pub/sub channel on the plain servers of NOWMETRIX_PUBSUB_REDIS_URLS "
                        "(live_state.clients.pubsub_url); pub/sub does not go through the cluster",
}

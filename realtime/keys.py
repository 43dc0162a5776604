"""The Redis key schema of the live state: every key NowMetrix writes is built here.

All keys start with `settings.NOWMETRIX_REDIS_PREFIX` (it carries the schema version). The keys
of one tracker share the Redis Cluster hash tag `{t:<public id>}`, so each tracker lives on
one slot and its Lua scripts touch a single node. Writers and readers named below; only
`realtime.live_state` issues commands.

Memory is bounded by active visitors plus today's pages: per-visitor entries are removed by
expiry, counters drop members that reach zero, dated keys carry TTLs.
"""

from __future__ import annotations

from django.conf import settings

DAY_KEY_TTL_SECS = 2 * 86400  # dated keys outlive their local day by one day (late readers)
SALT_TTL_SECS = 50 * 3600  # a calendar date exists somewhere on Earth for up to 50 hours
CONFIG_TTL_SECS = 86400  # refreshed every minute by the publish task
DROPS_TTL_SECS = 8 * 86400  # a week of dropped-hit counters for the settings page
APPLIED_TTL_SECS = 8 * 86400  # batch ids applied: longer than any retry or spooled replay
SNAPSHOT_TTL_SECS = 3600
REVOKED_MARK_TTL_SECS = 300
LIVE_TRACKER_RETENTION_SECS = 31 * 60  # a tracker stays "live" for snapshots 31 min after its last hit
RECENT_HITS_SECS = 30 * 60
VISIT_SECS = 30 * 60  # a visit ends after 30 minutes without a hit (semantics.md)  # GA-compatible `rt:pageviews`, `rt:totalEvents`, minutesAgo
MINUTE_SERIES_SECS = 30 * 60
GA4_SLOT_SECS = 120  # a GA4 request holds a concurrency slot at most this long (crashed processes)
# History counters (read by the `history` rollup every minute). Slots are 15-minute UTC slots:
# every time zone's offset is a multiple of 15 minutes, so a UTC slot is exactly one local slot.
# Kept three days, so a rollup worker stopped for up to a day catches up without loss.
# common.lua repeats both values (a test checks they agree).
HISTORY_SLOT_SECS = 15 * 60
HISTORY_KEY_TTL_SECS = 3 * 86400
HISTORY_LOCK_SECS = 55  # longer than a rollup takes, shorter than its one-minute cadence

# Separators inside packed values. Ingest strips control characters from every input string.
FIELD_SEP = "\t"
PART_SEP = "\x1f"
HIT_SEP = "\x1e"  # between the values of a batch of hits sent to ingest.lua


def prefix() -> str:
    return settings.NOWMETRIX_REDIS_PREFIX


def tracker_base(public_id: str) -> str:
    """`<prefix>:{t:<id>}`: the base the Lua scripts append the suffixes below to.

    Per tracker (suffix: type, meaning):
    - `:act` ZSET visitor id -> last pageview/heartbeat time (unix seconds). Active visitors.
    - `:vis` HASH visitor id -> packed record (see realtime.ingest.record). Written by ingest.
    - `:left` HASH visitor id -> `source\tkeyword` of a visit whose visitor left the live state
      (leave signal or expiry) less than VISIT_SECS ago; `:leftz` ZSET visitor id -> end of their
      last hit. A returning visitor resumes the visit's source; the tick forgets ended visits.
    - `:dev` HASH device class -> active count.
    - `:pg` ZSET page id -> active count; `:psrc:<page id>` ZSET source member -> active count.
    - `:cc` ZSET `CC\\x1fCountry name` -> count; `:city` ZSET `CC\\x1fCity` -> count.
    - `:src` ZSET `medium\\x1fsource\\x1fchild` -> active count.
    - `:pmeta` HASH page id -> packed `host path title og_image author pubdate` (TTL DAY_KEY_TTL_SECS).
    - `:pv:<date>` HASH page id -> pageviews on that local date; `:pvt:<date>` STRING total;
      `:uv:<date>` HyperLogLog of visitors (all TTL DAY_KEY_TTL_SECS).
    - `:mpv`, `:mev`, `:mau` HASH unix minute -> pageviews / events / active users (trimmed to
      MINUTE_SERIES_SECS by the tick, expiring 31 minutes after their last write; `:mau` is
      written by the snapshot builder: the minute's peak of active users).
    - `:hits` STREAM of pageviews and events with their visitor record (trimmed to RECENT_HITS_SECS
      by the tick, capped in length by ingest, expiring 31 minutes after the last hit): the
      GA-compatible API's 30-minute queries.
    - History (written by ingest.lua's `count_history`, read by `live_state.history`; all TTL
      HISTORY_KEY_TTL_SECS): `:hs:<slot>` HASH `pv` -> pageviews, `vi` -> visits begun, in UTC
      15-minute slot `<slot>` (unix time // HISTORY_SLOT_SECS); `:pvi:<date>` HASH page id ->
      visits begun on that page on that local date (a visit's entry page); `:hmark:<date>` STRING
      set once the rollup has seen (or restored) that date, kept a day longer than the counters:
      its absence over a date the database already holds means Redis lost the date, which the
      rollup then adds back from the database.
    - `:drop:<date>` HASH reason -> dropped hits (TTL DROPS_TTL_SECS).
    - `:applied` HASH writer id -> highest batch sequence number applied; `:appliedz` ZSET
      writer id -> when it last wrote (TTL APPLIED_TTL_SECS; silent writers are forgotten after
      it). Written and read by ingest.lua only: a batch resent after a lost reply or replayed
      from the spool is applied once.
    - `:first` STRING unix time of the first hit ever (no TTL: one per tracker, ever).
    """
    return f"{prefix()}:{{t:{public_id}}}"


def tracker_config(public_id: str) -> str:
    """HASH of the tracker's ingest configuration (active, hosts, tz, window, dnt...). Written by
    `live_state.tracker_config_publish` on save and every minute; read by ingest. TTL CONFIG_TTL_SECS."""
    return f"{tracker_base(public_id)}:cfg"


def config_generation() -> str:
    """STRING counter, INCR by `live_state.tracker_config_publish` after every publish (no TTL).
    Ingest processes read it once a second and reload the settings they know when it moves;
    its absence means the settings were never published to this Redis (an empty restart)."""
    return f"{prefix()}:cfggen"


def snapshot(public_id: str) -> str:
    """HASH `realtime`, `sources`, `extras` (pre-serialized JSON), `etag`, `built_at`: the latest live snapshot. Written by
    the snapshot builder, read by the API and the dashboard. TTL SNAPSHOT_TTL_SECS."""
    return f"{tracker_base(public_id)}:snap"


def tick_lock() -> str:
    """STRING lock (SET NX PX) held while one tick expires visitors and builds snapshots, so two
    beats or an overrunning tick never work at once."""
    return f"{prefix()}:lock:tick"


def history_lock() -> str:
    """STRING lock (SET NX EX HISTORY_LOCK_SECS) held by the one history rollup running, so two
    workers or beats never roll up at once. Written and released by `live_state.history`."""
    return f"{prefix()}:lock:history"


def live_trackers() -> str:
    """ZSET tracker public id -> unix time of its last accepted hit. Written by ingest; read and
    trimmed to LIVE_TRACKER_RETENTION_SECS by the tick: trackers without traffic cost nothing."""
    return f"{prefix()}:live"


def salt(local_date: str) -> str:
    """STRING random secret salt for visitor ids on a local date (SET NX); TTL SALT_TTL_SECS, after
    which the day's ids can no longer be recomputed by anyone."""
    return f"{prefix()}:salt:{local_date}"


def global_drops(utc_date: str) -> str:
    """HASH reason -> hits dropped before a tracker was known (malformed, unknown tracker). TTL DROPS_TTL_SECS."""
    return f"{prefix()}:drop:{utc_date}"


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


def snapshot_channel(public_id: str) -> str:
    """Redis pub/sub channel on which each new snapshot of a tracker is announced (SSE stream)."""
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

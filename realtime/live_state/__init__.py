"""The only package that talks to Redis for the live state. Every call is one round trip
(a pipeline or a Lua script) unless its docstring says otherwise. The key schema is in
`realtime.keys`; callers import from here, not from the submodules."""

from __future__ import annotations

from realtime.live_state.clients import (  # noqa: F401
    client,
    options,
    raw_client,
    aclient,
    LuaScript,
    script,
    _evalsha,
)
from realtime.live_state.config import (  # noqa: F401
    tracker_config_publish,
    tracker_config_get,
    tracker_configs_aget,
    config_generation_aget,
    salts_aensure,
)
from realtime.live_state.ingest import (  # noqa: F401
    TrackerBatch,
    ingest_apply,
    ingest_aapply,
    HIT_FIELDS,
)
from realtime.live_state.snapshots import (  # noqa: F401
    visitors_expire,
    series_trim,
    snapshot_read,
    SnapshotCounts,
    TrackerRead,
    TrackerCounts,
    trackers_read,
    snapshot_store,
    SnapshotWrite,
    snapshots_store,
    snapshot_publications,
    pubsub_publish,
    StoredSnapshot,
    snapshot_get,
    drops_get,
    snapshot_realtime_aget,
    snapshot_realtime_seq_aget,
    snapshot_seq,
    snapshot_seqs,
    snapshot_parts,
    snapshots_parts,
    SnapshotAnnouncements,
    KEY_REVOKED,
    EXPIRE_BATCH,
)
from realtime.live_state.shards import (  # noqa: F401
    ShardTracker,
    shard_lock_acquire,
    shard_lock_renew,
    shard_lock_release,
    shard_lock_holder,
    shard_live_ids,
    shard_trackers,
    trackers_changed,
    trackers_built_mark,
    tracker_built_get,
    shard_done_get,
    shards_last_tick,
    shards_live_counts,
    shard_done_record,
    watched_by_shard,
    watch_aadd,
)
from realtime.live_state.tick import (  # noqa: F401
    configs_published_mark,
    configs_published,
    tick_stats_add,
    tick_warning_allowed,
)
from realtime.live_state.api import (  # noqa: F401
    rate_limit_incr,
    page_active_users,
    api_key_mark_revoked,
    api_key_is_revoked,
    api_key_ais_revoked,
    api_key_revocation_announce,
    rate_limit_aincr_and_revoked,
)
from realtime.live_state.visitors import (  # noqa: F401
    visitor_records,
    active_ids,
    active_count,
    active_since,
    live_counter,
    page_meta,
)
from realtime.live_state.hit_log import (  # noqa: F401
    hits_since,
    page_minute_pageviews,
    minute_counts,
    referenced_records,
    visitor_refs,
)
from realtime.live_state.quotas import (  # noqa: F401
    ga_quota_charge,
    ga4_slot_release,
    ga4_slot_take,
)
from realtime.live_state.history import (  # noqa: F401
    DayCounters,
    TrackerCounters,
    RestoreDay,
    history_read,
    history_page_meta,
    history_restore,
    history_lock_acquire,
    history_lock_release,
)

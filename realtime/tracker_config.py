"""What ingest, the API and the snapshot builder know of a tracker without the database: its
settings as published to the live state (`live_state.tracker_config_publish`). A plain value: no
Redis here, so the pure ingest steps and the API can use it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrackerConfig:
    public_id: str
    active: bool
    hosts: tuple[str, ...]
    timezone: str
    window_secs: int
    honour_dnt: bool
    public_counter: bool
    account_id: int
    view_id: int

    @classmethod
    def from_hash(cls, public_id: str, raw: dict[str, str]) -> TrackerConfig | None:
        if not raw:
            return None
        return cls(
            public_id=public_id,
            active=raw.get("active") == "1",
            hosts=tuple(h for h in raw.get("hosts", "").split(",") if h),
            timezone=raw.get("tz", "UTC"),
            window_secs=int(raw.get("window", "300")),
            honour_dnt=raw.get("dnt", "1") == "1",
            public_counter=raw.get("public", "0") == "1",
            account_id=int(raw.get("account", "0")),
            view_id=int(raw.get("view", "0")),
        )

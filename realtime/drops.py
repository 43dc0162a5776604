"""Why a hit is dropped: the one list of reasons, as ingest counts them (`keys.DROPS` per tracker
and local date) and as the tracker's page names them."""

from __future__ import annotations

from enum import StrEnum


class DropReason(StrEnum):
    """The value is what Redis stores; `label` what admins read. Members are in the order of the
    tracker's dropped-hits page."""

    BOT = "bot"
    DO_NOT_TRACK = "do_not_track"
    DISALLOWED_HOST = "disallowed_host"
    INACTIVE_TRACKER = "inactive_tracker"
    SPOOL_OVERFLOW = "spool_overflow"  # Redis was away longer than the spool's caps could hold
    # Decided before any tracker is known: nothing to count them against, never on a tracker's page.
    UNKNOWN_TRACKER = "unknown_tracker"
    MALFORMED = "malformed"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def per_tracker(self) -> bool:
        """Whether it is counted against a tracker (and shown on its page)."""
        return self not in (DropReason.UNKNOWN_TRACKER, DropReason.MALFORMED)

    @classmethod
    def shown_per_tracker(cls) -> list[DropReason]:
        return [reason for reason in cls if reason.per_tracker]


_LABELS = {
    DropReason.BOT: "Bots",
    DropReason.DO_NOT_TRACK: "Do Not Track / GPC",
    DropReason.DISALLOWED_HOST: "Host not allowed",
    DropReason.INACTIVE_TRACKER: "Tracker inactive",
    DropReason.SPOOL_OVERFLOW: "Lost in an outage (spool full)",
    DropReason.UNKNOWN_TRACKER: "Unknown tracker",
    DropReason.MALFORMED: "Malformed",
}

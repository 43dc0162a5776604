"""Batches the ingestor sent without an answer (all of Redis away, or one Redis Cluster node),
and the trackers they hold. They are resent first, with their ids (ingest.lua applies each id
once, so a resend is safe); a tracker with an unanswered batch gets nothing newer sent until it
is answered, so its ids reach Redis in order, while the other trackers' hits go on."""

from __future__ import annotations

import logging
import time

from realtime.live_state import TrackerBatch

log = logging.getLogger(__name__)


class Unanswered:
    def __init__(self):
        self.batches: list[TrackerBatch] = []
        self.node_away_since: float | None = None  # a cluster node did not answer, the others did

    def __bool__(self) -> bool:
        return bool(self.batches)

    @property
    def hit_count(self) -> int:
        return sum(b.hit_count for b in self.batches)

    def held(self) -> set[str]:
        """The trackers whose newer batches must wait."""
        return {b.public_id for b in self.batches}

    def split(self, retry: bool) -> tuple[list[TrackerBatch], list[TrackerBatch]]:
        """(resent now, left waiting): all of them when it is time to retry, else none."""
        return (list(self.batches), []) if retry else ([], list(self.batches))

    def take_all(self) -> list[TrackerBatch]:
        batches, self.batches = self.batches, []
        return batches

    def node_answer(self, failure: Exception | None, retried: bool, spool_dir) -> None:
        """A cluster node did not answer (`failure`), or answered again: one line each way."""
        if failure is not None:
            if self.node_away_since is None:
                self.node_away_since = time.monotonic()
                log.warning("ingest: a Redis Cluster node is unavailable (%s); its trackers' hits are kept in memory, "
                            "then spooled to %s; the other trackers' hits are written", failure, spool_dir)
        elif retried and not self.batches and self.node_away_since is not None:
            log.warning("ingest: the Redis Cluster node answers again after %.1f s",
                        time.monotonic() - self.node_away_since)
            self.node_away_since = None

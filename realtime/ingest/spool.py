"""The on-disk spool: hits that could not be written to Redis, kept in order in append-only
files under NOWMETRIX_SPOOL_DIR until they are replayed.

Each process writes its own segment files, named by creation time, and holds an exclusive
`flock` on every file it owns for as long as it lives. A file whose lock can be taken belongs
to a process that has ended: the next process to start (or any process, every few seconds)
claims it by taking that lock, and checks the file is still linked (a claimer that finished it
unlinks it before letting go), so two processes never replay the same file.

Every spooled batch or raw group has an identity (writer, sequence number) before it reaches a
file, in the file's order; ingest.lua skips what it has applied, so a file replayed again
after its replayer died counts nothing twice.

Caps (NOWMETRIX_SPOOL_MAX_HITS, NOWMETRIX_SPOOL_MAX_BYTES) apply to the files a process holds:
past them the oldest of its segments is deleted and its hits counted as `spool_overflow` per
tracker. A segment is an eighth of the caps, so the spool never drops more than that at once.

Visitor records and ids are written, never an IP address, except in the raw hits of a tracker
whose settings this process never saw (judged at replay). Files are created 0600."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import time
from collections import Counter, deque
from dataclasses import dataclass, field, fields
from pathlib import Path

from realtime.ingest.hits import Client
from realtime.ingest.judge import RawGroup
from realtime.ingest.payload import RawHit
from realtime.live_state import TrackerBatch

log = logging.getLogger(__name__)
SUFFIX = ".spool"
_HIT_FIELDS = tuple(f.name for f in fields(RawHit))

Item = TrackerBatch | RawGroup


def encode(item: Item) -> bytes:
    if isinstance(item, TrackerBatch):
        drops = [[date, reason, n] for (date, reason), n in item.drops.items()]
        body = {"b": [item.public_id, item.window_secs, item.writer, item.seq, item.args, drops]}
    else:
        raw = [[t, c.ip, c.user_agent, c.dnt, {name: getattr(hit, name) for name in _HIT_FIELDS}]
               for t, hit, c in item.hits]
        body = {"r": [item.writer, item.seq, raw]}
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def decode(line: bytes) -> Item:
    body = json.loads(line)
    if "b" in body:
        site, window, writer, seq, args, drops = body["b"]
        return TrackerBatch(site, window, args, {(d, r): n for d, r, n in drops}, writer, seq)
    writer, seq, raw = body["r"]
    hits_ = [(t, RawHit(**{k: v for k, v in hit.items() if k in _HIT_FIELDS}), Client(ip, ua, dnt))
             for t, ip, ua, dnt, hit in raw]
    return RawGroup(hits_, writer, seq)


def item_sites(item: Item) -> Counter:
    if isinstance(item, TrackerBatch):
        return Counter({item.public_id: item.hit_count})
    return Counter(hit.site for _t, hit, _c in item.hits)


@dataclass
class Segment:
    path: Path
    file: object  # binary file object, flock held
    hits: int = 0
    bytes: int = 0
    sites: Counter = field(default_factory=Counter)  # hits per tracker (own segments)
    offset: int = 0  # replayed up to here

    def close(self) -> None:
        try:
            self.file.close()
        except OSError:
            pass


class Spool:
    def __init__(self, directory: Path, writer: str, *, max_hits: int, max_bytes: int):
        self.dir = Path(directory)
        self.writer = writer
        self.max_hits, self.max_bytes = max_hits, max_bytes
        self.segment_hits, self.segment_bytes = max(1, max_hits // 8), max(4096, max_bytes // 8)
        self.seq = 0
        self._open: Segment | None = None
        self._ready: deque[Segment] = deque()  # sealed, oldest first: own and claimed
        self._owned: set[Path] = set()
        self._serial = 0
        self.overflow: Counter = Counter()  # hits dropped past the caps, per tracker
        self.lost_to_errors = 0

    # --- writing ---------------------------------------------------------------------------

    @property
    def hits(self) -> int:
        """Hits held in files (those of claimed files are counted once read)."""
        return sum(s.hits for s in self._segments())

    def _segments(self):
        yield from self._ready
        if self._open is not None:
            yield self._open

    def _new_segment(self) -> Segment:
        self.dir.mkdir(parents=True, exist_ok=True)
        self._serial += 1
        path = self.dir / f"{int(time.time() * 1000):013d}-{self.writer}-{self._serial:05d}{SUFFIX}"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._owned.add(path)
        return Segment(path, os.fdopen(fd, "a+b"))

    def write(self, items: list[Item]) -> None:
        """Append items (oldest first), giving each an identity if it has none. Raises OSError
        when the directory cannot be written (the caller counts the items as lost)."""
        if not items:
            return
        lines, counts = [], Counter()
        for item in items:
            if not item.writer:
                self.seq += 1
                item.writer, item.seq = f"{self.writer}.s", self.seq
            lines.append(encode(item))
            counts.update(item_sites(item))
        data = b"".join(lines)
        n = sum(counts.values())
        self._make_room(n, len(data))
        if self._open is None:
            self._open = self._new_segment()
        segment = self._open
        segment.file.write(data)
        segment.file.flush()  # in the OS: it survives this process being killed
        segment.hits += n
        segment.bytes += len(data)
        segment.sites.update(counts)
        if segment.hits >= self.segment_hits or segment.bytes >= self.segment_bytes:
            self.seal()

    def _make_room(self, hits: int, size: int) -> None:
        segments = list(self._segments())
        total_hits = sum(s.hits for s in segments) + hits
        total_bytes = sum(s.bytes for s in segments) + size
        own = [s for s in self._ready if s.sites and s.offset == 0]
        while (total_hits > self.max_hits or total_bytes > self.max_bytes) and own:
            oldest = own.pop(0)
            self._ready.remove(oldest)
            total_hits -= oldest.hits
            total_bytes -= oldest.bytes
            self._discard(oldest)
        if (total_hits > self.max_hits or total_bytes > self.max_bytes) and self._open is not None:
            self._discard(self._open)
            self._open = None

    def _discard(self, segment: Segment) -> None:
        # A claimed file is never discarded unread: only own segments count toward the caps.
        self.overflow.update(segment.sites)
        self._unlink(segment)

    def _unlink(self, segment: Segment) -> None:
        try:
            segment.path.unlink()
        except FileNotFoundError:
            pass
        self._owned.discard(segment.path)
        segment.close()

    def seal(self) -> None:
        """Close the segment being written for replay; the next write starts a new one."""
        if self._open is not None:
            os.fsync(self._open.file.fileno())
            self._ready.append(self._open)
            self._open = None

    # --- claiming and replaying ---------------------------------------------------------------

    def claim_orphans(self) -> int:
        """Lock the files of processes that have ended; returns how many were claimed."""
        try:
            paths = sorted(self.dir.glob(f"*{SUFFIX}"))
        except OSError:
            return 0
        claimed = 0
        for path in paths:
            if path in self._owned:
                continue
            try:
                fd = os.open(path, os.O_RDWR)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # its process is alive (or another is replaying it)
                os.close(fd)
                continue
            if os.fstat(fd).st_nlink == 0:  # replayed and unlinked while we waited
                os.close(fd)
                continue
            size = os.fstat(fd).st_size
            self._owned.add(path)
            self._ready.append(Segment(path, os.fdopen(fd, "a+b"), hits=0, bytes=size))
            claimed += 1
        return claimed

    @property
    def has_ready(self) -> bool:
        return bool(self._ready)

    def read(self, max_hits: int) -> tuple[list[Item], int]:
        """Up to about `max_hits` hits from the oldest ready segment, in order; returns them and
        the offset to pass to `commit` once they are written."""
        if not self._ready:
            return [], 0
        if self._ready[0].offset == 0:
            self._ready[0].sites = Counter()  # being replayed: no longer dropped at the caps
        segment = self._ready[0]
        segment.file.seek(segment.offset)
        items, n, offset = [], 0, segment.offset
        while n < max_hits:
            line = segment.file.readline()
            if not line:
                break
            offset += len(line)
            if not line.endswith(b"\n"):  # cut short by a crash mid-write: nothing after it
                log.error("spool: a line cut short at the end of %s is skipped", segment.path)
                break
            try:
                item = decode(line)
            except (ValueError, TypeError, KeyError):
                log.error("spool: unreadable line skipped in %s", segment.path)
                continue
            items.append(item)
            n += item.hit_count
        return items, offset

    def commit(self, offset: int, hits: int) -> bool:
        """The items read up to `offset` (`hits` hits) are written; a finished segment is
        deleted. Returns True when the segment is finished."""
        segment = self._ready[0]
        segment.offset = offset
        segment.hits = max(0, segment.hits - hits)
        segment.file.seek(0, os.SEEK_END)
        if offset >= segment.file.tell():
            self._ready.popleft()
            self._unlink(segment)
            return True
        return False

    def close(self) -> None:
        """Let go of every file (at exit): what is left is replayed by the next process."""
        if self._open is not None:
            try:
                os.fsync(self._open.file.fileno())
            except OSError:
                pass
        for segment in list(self._segments()):
            segment.close()
        self._open = None
        self._ready.clear()
        self._owned.clear()

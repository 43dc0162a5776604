"""WebSocket consumers of the live dashboards: they only translate between the channel layer
and the browser. Reads go through selectors; frames are built in `realtime.frames`.

Access: the web admin's session (Channels' AuthMiddlewareStack), the Origin checked in
`nowmetrix/asgi.py`. A refused or ended connection is accepted and then closed with a code the
page understands (a refusal during the handshake reaches the browser only as 1006, which
looks like a network failure and would be retried forever); nothing is sent before the close.

Coalescing: the pub/sub layer hands every group message to every consumer. Handlers only
replace the pending frame of their key and wake one sender task per connection, so a client
that reads slowly gets the latest state, never a queue of stale ones. Delta frames queue behind
each other (each needs the one before) up to MAX_QUEUED_DELTAS; a client further behind gets the
whole current snapshot instead, as does one that asks (`{"type":"resync"}`).

Access changes are announced (`realtime.access_changes`): every socket also joins its user's
group, and re-checks at once on `access.changed`, or closes on its session's `session.ended`.
The periodic re-check is only a safety net for what is not announced.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from redis.exceptions import RedisError

from realtime import access_changes, events, fanout, frames, keys, payloads, selectors, shards
from trackers import selectors as tracker_selectors

log = logging.getLogger(__name__)

CLOSE_INTERNAL_ERROR = 1011  # the page reconnects with backoff
CLOSE_LOGGED_OUT = 4401  # no valid login: the page sends the reader to the login page
CLOSE_FORBIDDEN = 4403  # logged in, but not (or no longer) allowed to see this
CLOSE_UNAVAILABLE = 4503  # the live state (Redis) is unreachable: the page marks its numbers stale and retries

# The live state cannot be reached: the channel layer cannot subscribe, or the current snapshot
# cannot be read. Anything else is a bug and is left to fail loudly.
BACKEND_DOWN = (RedisError,)


class LiveConsumer(AsyncWebsocketConsumer):
    """Shared mechanics: refuse with a clear code, send coalesced frames, re-check access."""

    # How long a change that was not announced may go unnoticed (the safety net).
    access_check_secs = settings.NOWMETRIX_ACCESS_RECHECK_SECS

    async def __call__(self, scope, receive, send):
        """Channels subscribes the socket's own channel before the handshake; with Redis away
        that raises before `connect` runs and the browser sees a bare 1006. Finish the handshake
        and close with CLOSE_UNAVAILABLE instead, which the page retries with back-off."""
        self.accepted = False
        try:
            await super().__call__(scope, receive, send)
        except BACKEND_DOWN as error:
            log.warning("live socket refused, the live state is unreachable: %r", error)
            try:
                if not self.accepted:
                    message = await receive()
                    if message["type"] != "websocket.connect":
                        return
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_UNAVAILABLE})
            except OSError:  # the browser left meanwhile (uvicorn's ClientDisconnected)
                pass

    async def accept(self, subprotocol=None, headers=None):
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def connect(self):
        self.pending: dict[str, list[str]] = {}
        self.wake = asyncio.Event()
        self.joined: set[str] = set()
        self.tasks: list[asyncio.Task] = []
        self.recheck = asyncio.Event()
        await self.accept()
        user = self.scope["user"]
        if not user.is_authenticated:
            return await self.close(code=CLOSE_LOGGED_OUT)
        if not await self.authorize(user):
            return await self.close(code=CLOSE_FORBIDDEN)
        # Join before reading the current state, so a snapshot built in between is not missed.
        try:
            await self.join(self.groups_wanted() | {keys.user_group(user.pk)})
            initial = await self.initial_frames()
        except BACKEND_DOWN as error:
            log.warning("live socket closed, the live state is unreachable: %r", error)
            return await self.close(code=CLOSE_UNAVAILABLE)
        for key, frame in initial:
            self.push(key, frame)
        self.tasks = [self.start_task(self.send_pending()), self.start_task(self.watch_access())]

    async def disconnect(self, code):
        # Wait for the cancelled tasks to end: one left behind (a watch refresh mid-command)
        # would outlive the connection, and its event loop if that closes next (a test's).
        tasks = [task for task in getattr(self, "tasks", ()) if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        try:
            await self.join(set())
        except BACKEND_DOWN:  # nothing to leave: the subscriptions went with the connection
            pass

    # --- for subclasses ----------------------------------------------------------------

    async def authorize(self, user) -> bool:
        """Whether `user` may watch; may remember what they may see."""
        raise NotImplementedError

    def groups_wanted(self) -> set[str]:
        raise NotImplementedError

    async def initial_frames(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    # --- mechanics -----------------------------------------------------------------------

    async def join(self, groups: set[str]) -> None:
        for group in self.joined - groups:
            await self.channel_layer.group_discard(group, self.channel_name)
        for group in groups - self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = set(groups)

    def start_task(self, coro) -> asyncio.Task:
        task = asyncio.create_task(coro)
        task.add_done_callback(self.task_ended)
        return task

    def task_ended(self, task: asyncio.Task) -> None:
        """A sender or access check that fails would leave a socket open that no longer updates
        or no longer checks access: close it instead, and let the page reconnect."""
        if task.cancelled() or task.exception() is None:
            return
        log.error("live socket task failed; closing the socket", exc_info=task.exception())
        self.tasks.append(asyncio.create_task(self.close_quietly(CLOSE_INTERNAL_ERROR)))

    async def close_quietly(self, code: int) -> None:
        try:
            await self.close(code=code)
        except OSError:  # the browser left meanwhile
            pass

    def push(self, key: str, frame: str) -> None:
        """Queue `frame`, replacing any unsent frames of the same key."""
        self.pending.pop(key, None)  # re-insert: keys are sent in the order of their latest frame
        self.pending[key] = [frame]
        self.wake.set()

    def push_after(self, key: str, frame: str) -> int:
        """Queue `frame` after the unsent frames of its key (a delta needs those before it);
        returns how many are now queued."""
        queued = self.pending.setdefault(key, [])
        queued.append(frame)
        self.wake.set()
        return len(queued)

    async def send_pending(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            while self.pending:
                key = next(iter(self.pending))
                queued = self.pending[key]
                frame = queued.pop(0)
                if not queued:
                    del self.pending[key]
                try:
                    await self.send(text_data=frame)
                except OSError:
                    # The browser went away mid-send (uvicorn's ClientDisconnected): nothing to
                    # close or report; `disconnect` follows and cleans up.
                    return

    async def watch_access(self) -> None:
        while True:
            # Until a change is announced, or about one period has passed: the jitter spreads the
            # checks of sockets that all reconnected together (a deploy) over the period.
            try:
                await asyncio.wait_for(self.recheck.wait(), self.access_check_secs * random.uniform(0.5, 1.5))
            except asyncio.TimeoutError:
                pass
            self.recheck.clear()
            code = await self.access_ended()
            if code is not None:
                return await self.close_quietly(code)
            await self.join(self.groups_wanted() | {keys.user_group(self.scope["user"].pk)})

    async def access_ended(self) -> int | None:
        """The close code if the login or the access has ended, else None (refreshes what
        `authorize` remembers). Three queries: the session, its user, the trackers."""
        session = self.scope.get("session")
        user = await database_sync_to_async(selectors.session_user)(session.session_key if session else None)
        if user.pk != self.scope["user"].pk:
            return CLOSE_LOGGED_OUT
        if not await self.authorize(user):
            return CLOSE_FORBIDDEN
        return None

    async def access_changed(self, event):
        self.recheck.set()

    async def session_ended(self, event):
        session = self.scope.get("session")
        if event["session"] == access_changes.session_tag(session.session_key if session else None):
            for task in self.tasks:
                task.cancel()
            await self.close_quietly(CLOSE_LOGGED_OUT)


class TrackerConsumer(LiveConsumer):
    """`ws/trackers/<public_id>/`: one tracker's dashboard. Sends the current snapshot at once,
    then each new one as the delta frame of its build (`snapshot` frames again when the browser
    fell behind or asks to resync)."""

    MAX_QUEUED_DELTAS = 3  # a browser further behind gets the whole snapshot instead
    RESYNC_MIN_SECS = 1.0  # a browser's resync requests are answered at most this often

    seq = 0  # the number of the last snapshot queued for the browser: what the next delta must build on
    takes_deltas = False  # the page applies deltas of payloads.DELTA_FORMAT (`?deltas=` when it connects)
    resynced_at = float("-inf")

    async def authorize(self, user) -> bool:
        self.site = self.scope["url_route"]["kwargs"]["public_id"]
        # Deltas only to a page that applies their format (payloads.DELTA_FORMAT); else whole frames.
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        self.takes_deltas = query.get("deltas") == [str(payloads.DELTA_FORMAT)]
        tracker = await database_sync_to_async(tracker_selectors.tracker_for_user)(user=user, public_id=self.site)
        return tracker is not None

    # Tracker events heard while the socket's state is being read (before the initial frame is
    # queued, during a resync): handled in order afterwards, as the socket's channel used to.
    held: list[dict] | None = None
    in_hub = False

    def groups_wanted(self) -> set[str]:
        return {keys.tracker_group(self.site)}

    async def __call__(self, scope, receive, send):
        try:
            await super().__call__(scope, receive, send)
        finally:  # however the socket ends, the process's hub stops serving it
            self.leave_hub()

    async def join(self, groups: set[str]) -> None:
        """The tracker's group is heard through the process's hub (`realtime.fanout`), once per
        process rather than once per socket; the other groups through the socket's channel."""
        group = keys.tracker_group(self.site) if hasattr(self, "site") else None
        if group in groups and not self.in_hub:
            if self.held is None:
                self.held = []
            await fanout.join(self.site, self)
            self.in_hub = True
        elif group not in groups:
            self.leave_hub()
        await super().join(groups - {group})

    def leave_hub(self) -> None:
        if self.in_hub:
            self.in_hub = False
            fanout.leave(self.site, self)

    def deliver(self, event: dict) -> None:
        """A tracker event from the hub (`realtime.fanout`)."""
        if self.held is not None:
            self.held.append(event)
        elif event["type"] == events.SNAPSHOT_EVENT:
            self.on_snapshot(event)

    def release_held(self) -> None:
        held, self.held = self.held or [], None
        for i, event in enumerate(held):
            self.deliver(event)
            if self.held is not None:  # that one started a resync: the rest wait for it
                self.held.extend(held[i + 1:])
                return

    async def connect(self):
        await super().connect()
        if not self.tasks:
            self.held = None
            return self.leave_hub()
        self.release_held()
        # Open and live: while someone watches, the tracker gets the fast cadence.
        self.tasks.append(self.start_task(shards.keep_watched(self.site)))

    async def initial_frames(self) -> list[tuple[str, str]]:
        current = await sync_to_async(selectors.numbered_snapshot_frame)(self.site)
        if current is None:
            return []
        self.seq = current[0]
        return [(frames.SNAPSHOT, current[1])]

    def on_snapshot(self, event) -> None:
        if event["base"] is None:
            self.seq = event["seq"]
            return self.push(frames.SNAPSHOT, event["frame"])
        if event["seq"] <= self.seq:
            return  # already in the snapshot this browser was sent (read after the build)
        if event["base"] == self.seq and self.takes_deltas:
            self.seq = event["seq"]
            if self.push_after(frames.SNAPSHOT, event["frame"]) <= self.MAX_QUEUED_DELTAS:
                return
        self.held = []
        self.tasks = [task for task in self.tasks if not task.done()]
        self.tasks.append(self.start_task(self.resync_holding(event["seq"])))

    async def resync_holding(self, at_least: int) -> None:
        """Resync while the tracker's events wait, then handle them."""
        if self.held is None:
            self.held = []
        try:
            await self.resync(at_least)
        finally:
            self.release_held()

    async def receive(self, text_data=None, bytes_data=None):
        """The browser's one message: `{"type":"resync"}` after a gap in the deltas."""
        try:
            message = json.loads(text_data or "")
        except ValueError:
            return
        if isinstance(message, dict) and message.get("type") == frames.RESYNC:
            if time.monotonic() - self.resynced_at >= self.RESYNC_MIN_SECS:
                if self.held is None:  # else a resync (or the connection) is under way already
                    await self.resync_holding(self.seq)

    async def resync(self, at_least: int) -> None:
        """Replace whatever is queued by the whole current snapshot (numbered `at_least` or
        later), shared with the other sockets of this process that need it too."""
        self.resynced_at = time.monotonic()
        try:
            current = selectors.resync_frame_cached(self.site, at_least)
            if current is None:
                current = await sync_to_async(selectors.resync_frame)(self.site, at_least)
        except BACKEND_DOWN as error:
            log.warning("live socket closed, the live state is unreachable: %r", error)
            return await self.close_quietly(CLOSE_UNAVAILABLE)
        if current is not None:
            self.seq = current[0]
            self.push(frames.SNAPSHOT, current[1])


class OverviewConsumer(LiveConsumer):
    """`ws/overview/`: a line per tracker the user may open, across their accounts. Joins the
    account groups and forwards the summaries of those trackers only (an Editor's account
    group also carries trackers they were not given)."""

    async def authorize(self, user) -> bool:
        trackers = await database_sync_to_async(selectors.overview_trackers)(user)
        self.sites = {site for site, _account in trackers}
        self.accounts = {account for _site, account in trackers}
        return bool(self.sites)

    def groups_wanted(self) -> set[str]:
        return {keys.account_group(account) for account in self.accounts}

    async def initial_frames(self) -> list[tuple[str, str]]:
        return await sync_to_async(selectors.summary_frames)(sorted(self.sites))

    async def tracker_summary(self, event):
        if event["site"] in self.sites:
            self.push(event["site"], frames.summary_frame(event["summary"]))

"""Publishing: the realtime app's public functions for other apps' services.

Events are broadcast only after the writing transaction commits. The channel
layer delivers at most once and may drop messages, so a push is a hint: idea
events are also stored (StreamEvent) for the HTTP catch-up, and notifications
are rows of their own. A broadcast that fails is logged, never raised.
"""

import asyncio
import json
import logging
import os
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from redis.exceptions import RedisError

from realtime.groups import STAFF_STREAM, idea_stream, member_stream, rights_stream
from realtime.layers import PubSubChannelLayer
from realtime.models import StreamEvent

logger = logging.getLogger(__name__)

# A broadcast runs after the writer's commit, still inside its request: a
# hung Redis may cost it this long once, and then nothing while the breaker
# is open (a status change pushes one message per follower).
PUBLISH_TIMEOUT = 1.0
PUBLISH_COOLDOWN = 10.0
# What says "the channel layer cannot take messages now"; only these open the breaker.
LAYER_TROUBLE = (asyncio.TimeoutError, OSError, RedisError)
_skip_until = 0.0


def breaker_reset() -> None:
    global _skip_until
    _skip_until = 0.0


def _event(message: dict) -> dict:
    """What crosses the channel layer: the message as JSON text, encoded once here rather
    than once per socket (realtime.consumers sends the text as it is), and its kind."""
    return {"type": "stream.message", "text": json.dumps(message), "kind": message["kind"]}


async def _send(stream: str, message: dict) -> None:
    await asyncio.wait_for(get_channel_layer().group_send(stream, _event(message)), PUBLISH_TIMEOUT)


class _PublishingLoop:
    """One event loop per process, in a thread of its own, that broadcasts for sync code.

    Outside a server's loop (task workers, commands, threads) async_to_sync starts a
    new loop for every call, and the Redis layer, being per loop, a new connection
    for every broadcast: a burst of 2,000 official responses opened 2,000
    connections, and the ones that took over a second to connect opened the breaker.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def run(self, coroutine, timeout: float):
        with self._lock:
            if self._loop is None or self._pid != os.getpid():  # a forked child starts its own
                self._loop, self._pid = asyncio.new_event_loop(), os.getpid()
                thread = threading.Thread(
                    target=self._loop.run_forever, name="realtime-publisher", daemon=True
                )
                thread.start()
            loop = self._loop
        future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise


_publishing = _PublishingLoop()


def _run(send, *args) -> None:
    """Run a send coroutine from sync code. The in-memory layer (make run) must stay on
    the server's loop, where its consumers wait, so only the Redis layer is sent from
    the publishing loop; it is safe on any loop."""
    if isinstance(get_channel_layer(), PubSubChannelLayer):
        _publishing.run(send(*args), timeout=2 * PUBLISH_TIMEOUT)
    else:
        async_to_sync(send)(*args)


def _broadcast(stream: str, message: dict) -> None:
    global _skip_until
    if time.monotonic() < _skip_until:
        logger.info("Realtime broadcast to %s skipped: the channel layer is failing", stream)
        return
    try:
        _run(_send, stream, message)
    except LAYER_TROUBLE:  # Redis down, hung or full: the stored state is the truth
        _skip_until = time.monotonic() + PUBLISH_COOLDOWN
        logger.warning(
            "Realtime broadcast to %s failed; skipping broadcasts for %.0f s",
            stream,
            PUBLISH_COOLDOWN,
            exc_info=True,
        )
    except Exception:  # a bug here must not fail the write, nor silence other broadcasts
        logger.exception("Realtime broadcast to %s failed", stream)


def _after_commit(stream: str, message: dict) -> None:
    transaction.on_commit(lambda: _broadcast(stream, message))


def idea_event(*, idea_id: int, kind: str, html: str = "", data: dict | None = None) -> int:
    """Record an event on the idea's stream and broadcast it after commit.

    Call it while holding the idea's row lock (every idea service does), which
    keeps the sequence numbers gap-free. Returns the event's sequence number.
    """
    stream = idea_stream(idea_id)
    last = (
        StreamEvent.objects.filter(stream=stream)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    event = StreamEvent.objects.create(
        stream=stream, seq=(last or 0) + 1, kind=kind, html=html, data=data or {}
    )
    _after_commit(stream, event.as_message())
    return event.seq


def idea_counts(*, idea_id: int, data: dict) -> None:
    """Broadcast an idea's new counters (votes): state, not an event, so not stored."""
    _after_commit(idea_stream(idea_id), {"seq": None, "kind": "counts", "html": "", "data": data})


def member_message(*, user_id: int, kind: str, html: str = "", data: dict | None = None) -> None:
    _after_commit(member_stream(user_id), {"kind": kind, "html": html, "data": data or {}})


def members_message(*, user_ids: list[int], kind: str, data: dict | None = None) -> None:
    """One small message to each member's stream, after commit (`_after_commit_many`)."""
    message = {"kind": kind, "html": "", "data": data or {}}
    _after_commit_many([member_stream(user_id) for user_id in user_ids], _event(message))


# What tells a socket to ask again whether its reader may still watch its stream
# (realtime.consumers.StreamConsumer.stream_recheck): nothing is sent to the page.
RECHECK = {"type": "stream.recheck"}


def members_rights_changed(*, user_ids) -> None:
    """These members' rights changed (their groups, roles or account): after commit,
    each of their open sockets asks again, and closes if they may no longer watch."""
    _after_commit_many([rights_stream(user_id) for user_id in user_ids], RECHECK)


def ideas_audience_changed(*, idea_ids) -> None:
    """Who may see these ideas changed (their Storm Session's group): after commit, every
    socket watching one asks again, and closes if its reader may no longer see it."""
    _after_commit_many([idea_stream(idea_id) for idea_id in idea_ids], RECHECK)


def _after_commit_many(streams: list[str], event: dict) -> None:
    """One event to each stream, all sent from one after-commit callback: the sends of a
    batch share one event loop run (the notification worker pushes to thousands)."""
    if not streams:
        return

    def send() -> None:
        for start in range(0, len(streams), MEMBERS_PER_SEND):
            _broadcast_many(streams[start : start + MEMBERS_PER_SEND], event)

    transaction.on_commit(send)


MEMBERS_PER_SEND = 500


async def _send_many(streams: list[str], event: dict) -> None:
    layer = get_channel_layer()
    await asyncio.wait_for(
        asyncio.gather(*(layer.group_send(stream, event) for stream in streams)),
        PUBLISH_TIMEOUT,
    )


def _broadcast_many(streams: list[str], event: dict) -> None:
    global _skip_until
    if time.monotonic() < _skip_until:
        logger.info("Realtime broadcast to %d streams skipped: the layer is failing", len(streams))
        return
    try:
        _run(_send_many, streams, event)
    except LAYER_TROUBLE:
        _skip_until = time.monotonic() + PUBLISH_COOLDOWN
        logger.warning(
            "Realtime broadcast to %d streams failed; skipping broadcasts for %.0f s",
            len(streams),
            PUBLISH_COOLDOWN,
            exc_info=True,
        )
    except Exception:  # a bug here must not fail the write, nor silence other broadcasts
        logger.exception("Realtime broadcast to %d streams failed", len(streams))


def staff_message(*, kind: str, html: str = "", data: dict | None = None) -> None:
    _after_commit(STAFF_STREAM, {"kind": kind, "html": html, "data": data or {}})


# The stored events that put a comment on the page.
POSTING_KINDS = {"comment", "official"}


def idea_events_rewrite(
    *, idea_id: int, comment_id: int, kind: str, html: str, data_updates: dict
) -> None:
    """Make stored events about a comment say what the comment says now.

    The catch-up replays stored events to anyone who may see the idea, so an
    edited, removed or hidden comment must not live on in them. The events
    that posted it take `kind` and `data_updates` (a None value drops the key);
    later ones about it (hidden, restored, edited) keep their kind and data and
    carry its current text too.
    """
    events = StreamEvent.objects.filter(
        stream=idea_stream(idea_id), data__comment_id=comment_id
    ).exclude(kind="comment_removed")
    for event in events:
        if event.kind in POSTING_KINDS:
            event.kind = kind
            event.data = _updated(event.data, data_updates)
        event.html = html
        event.save(update_fields=["kind", "html", "data"])


def idea_events_update(*, idea_id: int, where: dict, data_updates: dict) -> None:
    """Change the data of the stored events whose data matches `where` (a None value drops)."""
    lookups = {f"data__{key}": value for key, value in where.items()}
    for event in StreamEvent.objects.filter(stream=idea_stream(idea_id), **lookups):
        event.data = _updated(event.data, data_updates)
        event.save(update_fields=["data"])


def _updated(data: dict, updates: dict) -> dict:
    return {key: value for key, value in (data | updates).items() if value is not None}


def idea_events_after(*, idea_id: int, after: int, limit: int = 200) -> list[dict]:
    """The stored events a client missed, oldest first."""
    events = StreamEvent.objects.filter(stream=idea_stream(idea_id), seq__gt=after).order_by("seq")[
        :limit
    ]
    return [event.as_message() for event in events]


def idea_last_seq(*, idea_id: int) -> int:
    return (
        StreamEvent.objects.filter(stream=idea_stream(idea_id))
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
        or 0
    )

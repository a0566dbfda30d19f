"""Websocket consumers. They stay thin: check who is asking, join a stream, forward.

Sockets are read-only: every write goes through CSRF-protected HTTP, so a
frame from the client closes the connection. The subscriber's right to see a
stream is checked when it subscribes, and again whenever it may have changed
(`stream_recheck`: the member's groups, roles or account, or the idea's
audience); an idea that disappears from customers' view closes their sockets.
"""

import asyncio
import json
import logging
from collections import deque

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from community.permissions import can_see_hidden, can_triage, is_member
from ideas.models import Idea
from ideas.permissions import can_view_idea
from realtime.groups import STAFF_STREAM, idea_stream, member_stream, rights_stream

logger = logging.getLogger(__name__)

# Close codes (4000-4999 are the application's).
CLOSE_READ_ONLY = 4003
CLOSE_FORBIDDEN = 4403
CLOSE_GONE = 4410
CLOSE_SERVER_ERROR = 1011
CLOSE_RECONNECT = 1012  # "service restart": come back, and catch up over HTTP
# Events after which customers may no longer watch an idea.
CLOSING_KINDS = {"hidden", "withdrawn"}


class ReadOnlyConsumer(AsyncJsonWebsocketConsumer):
    closed = False

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        await self.close(code=CLOSE_READ_ONLY)

    async def close(self, code=None, reason=None):
        # Once: the server refuses anything sent after the close, a second close included.
        if not self.closed:
            self.closed = True
            await super().close(code=code, reason=reason)

    async def layer_lost(self, event):
        """The channel layer lost Redis, so pushes may have gone missing: the client
        reconnects and fetches what it missed (realtime.layers)."""
        await self.close(code=CLOSE_RECONNECT)

    async def dispatch(self, message):
        # Channels' own dispatch first closes stale database connections in a thread, for
        # every message on every socket: one thread hop per socket per broadcast, which
        # at 10,000 sockets took seconds. These consumers reach the database only through
        # database_sync_to_async, which closes stale connections around each call itself.
        # A failure in one consumer closes that socket only, and is logged.
        try:
            handler = getattr(self, get_handler_name(message), None)
            if handler is None:
                raise ValueError(f"No handler for message type {message['type']}")
            await handler(message)
        except StopConsumer:
            raise
        except Exception:
            logger.exception("Websocket consumer failed on %s", message.get("type"))
            await self.close(code=CLOSE_SERVER_ERROR)


class UnknownStreamConsumer(AsyncJsonWebsocketConsumer):
    """A socket to a path we do not serve: refused at the handshake (HTTP 403)."""

    async def connect(self):
        await self.close()


class HealthConsumer(ReadOnlyConsumer):
    """Answers a handshake with a round trip through the channel layer.

    Load balancers and operators use it to see that websockets and the channel
    layer work end to end.
    """

    async def connect(self):
        await self.accept()
        await self.channel_layer.send(self.channel_name, {"type": "healthz.ping"})

    async def healthz_ping(self, event):
        await self.send_json({"type": "healthz", "status": "ok"})


class StreamConsumer(ReadOnlyConsumer):
    """Joins the one stream `authorise` names, or refuses the handshake.

    With the Redis layer the process's receiver hands the stream's events to the
    consumer directly (realtime.layers): they wait in the consumer's inbox, and one
    task sends them in order, never after the socket closed. A broadcast to 10,000
    sockets then costs a task per socket, not Channels' queue and wait per socket.
    """

    stream: str | None = None
    rights: str | None = None
    accepted = False
    sending: asyncio.Task | None = None

    def authorise(self) -> str | None:
        """The stream the socket's reader (`self.scope["user"]`) may watch, or None."""
        raise NotImplementedError

    async def connect(self):
        self.stream = await database_sync_to_async(self.authorise)()
        if self.stream is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.inbox: deque[dict] = deque()
        hand_over = getattr(self.channel_layer, "hand_group_events", None)
        if hand_over is not None:  # the in-memory layer (make run) queues as Channels does
            hand_over(self.channel_name, self.take)
        await self.channel_layer.group_add(self.stream, self.channel_name)
        if self.scope["user"].is_authenticated:
            self.rights = rights_stream(self.scope["user"].pk)
            await self.channel_layer.group_add(self.rights, self.channel_name)
        await self.accept()
        self.accepted = True
        self._send_inbox_soon()

    def take(self, event: dict) -> None:
        """An event of the stream, from the layer's receiver (which must not wait)."""
        if not self.closed:
            self.inbox.append(event)
            self._send_inbox_soon()

    def _send_inbox_soon(self) -> None:
        if self.accepted and self.inbox and self.sending is None:
            self.sending = asyncio.get_running_loop().create_task(self._send_inbox())

    async def _send_inbox(self) -> None:
        try:
            while self.inbox and not self.closed:
                await self.dispatch(self.inbox.popleft())  # a failure closes this socket
        except Exception:  # the socket went away while sending; disconnect() follows
            logger.debug("Websocket gone while sending its stream", exc_info=True)
        finally:
            self.sending = None

    async def disconnect(self, code):
        self.closed = True
        stop = getattr(self.channel_layer, "stop_handing", None)
        if stop is not None:
            stop(self.channel_name)
        if self.sending is not None:
            self.sending.cancel()
        if self.stream:
            await self.channel_layer.group_discard(self.stream, self.channel_name)
        if self.rights:
            await self.channel_layer.group_discard(self.rights, self.channel_name)

    async def stream_message(self, event):
        await self.send(text_data=_text(event))

    async def stream_recheck(self, event):
        """The reader's rights or the stream's audience changed (`realtime.api`): ask
        again, as the member is now, and close if they may no longer watch. Events
        behind this one in the inbox wait for the answer."""
        if not await database_sync_to_async(self._still_admitted)():
            await self.close(code=CLOSE_FORBIDDEN)

    def _still_admitted(self) -> bool:
        user = self.scope["user"]
        if user.is_authenticated:  # read again: the one from the handshake has the old groups
            fresh = get_user_model().objects.filter(pk=user.pk, is_active=True).first()
            self.scope["user"] = fresh or AnonymousUser()
        return self.authorise() == self.stream


def _text(event: dict) -> str:
    # Publishers encode the message once (realtime.api); an event still carrying the
    # message itself comes from a worker of the previous release during a deploy.
    return event["text"] if "text" in event else json.dumps(event["message"])


def _kind(event: dict) -> str:
    return event["kind"] if "kind" in event else event["message"]["kind"]


class IdeaStreamConsumer(StreamConsumer):
    """Everything that changes on one idea's page."""

    def authorise(self) -> str | None:
        user = self.scope["user"]
        idea = Idea.objects.filter(pk=self.scope["url_route"]["kwargs"]["idea_id"]).first()
        if idea is None or not can_view_idea(user, idea):
            return None
        self.watcher_sees_hidden = can_see_hidden(user)
        return idea_stream(idea.pk)

    async def stream_message(self, event):
        await self.send(text_data=_text(event))
        if _kind(event) in CLOSING_KINDS and not self.watcher_sees_hidden:
            await self.close(code=CLOSE_GONE)


class MemberStreamConsumer(StreamConsumer):
    """A signed-in member's own notifications."""

    def authorise(self) -> str | None:
        user = self.scope["user"]
        return member_stream(user.pk) if is_member(user) else None


class StaffStreamConsumer(StreamConsumer):
    """The triage stream: new ideas and other work for staff."""

    def authorise(self) -> str | None:
        return STAFF_STREAM if can_triage(self.scope["user"]) else None

"""The channel layer: channels_redis's pub/sub layer, which also says when it lost Redis.

Pub/sub sends one message per worker process that has a socket in a group, and
the process hands it to its local sockets, so the cost inside Redis does not
grow with the number of sockets. Its receiver, though, rides out a lost Redis
connection silently (it retries every second and resubscribes), and a page
would never learn that pushes went missing meanwhile. Here the receiver tells
every local channel once, with a `layer.lost` message, when the connection
drops; consumers close their sockets, and the pages reconnect and fetch what
they missed over HTTP. And a group's message is decoded once per process for all
its sockets there, not once per socket, and handed straight to the consumers that
take it themselves (`hand_group_events`).
"""

import asyncio
import logging
from collections.abc import Callable

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close

logger = logging.getLogger(__name__)

LOST = {"type": "layer.lost"}


class _Shard(RedisSingleShardConnection):
    lost = False

    async def _do_receiving(self):
        # channels_redis 4.3's loop, plus the notice on the first failure of an outage.
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=0.1
                    )
                    self.lost = False
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (TimeoutError, asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:
                if not self.lost:
                    self.lost = True
                    logger.warning("Channel layer lost Redis; closing local sockets: %r", exc)
                    self._tell_local_channels()
                await asyncio.sleep(1)

    def _receive_message(self, message):
        # A group message is decoded once for all of this process's sockets in the group
        # (channels_redis decodes it once per socket, in each consumer's receive); the
        # consumers only read the event they are handed.
        if message is None:
            return
        name = message["channel"]
        if isinstance(name, bytes):
            name = name.decode()
        layer = self.channel_layer
        if name in layer.channels:
            layer.channels[name].put_nowait(message["data"])
        elif name in layer.groups:
            event = layer.channel_layer.deserialize(message["data"])
            for channel_name in layer.groups[name]:
                queue = layer.channels.get(channel_name)
                if queue is None:  # the consumer is gone
                    layer.takers.pop(channel_name, None)
                elif (take := layer.takers.get(channel_name)) is not None:
                    take(event)
                else:
                    queue.put_nowait(event)

    def _tell_local_channels(self) -> None:
        layer = self.channel_layer  # the per-loop layer: its channels are this process's
        lost = layer.channel_layer.serialize(LOST)
        for queue in layer.channels.values():
            queue.put_nowait(lost)


class _LoopLayer(RedisPubSubLoopLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._shards = [_Shard(shard.host, self) for shard in self._shards]
        self.takers: dict[str, Callable[[dict], None]] = {}

    def hand_group_events(self, channel: str, take: Callable[[dict], None]) -> None:
        """Hand the events of `channel`'s groups to `take(event)` as they arrive, instead
        of queueing them for the consumer's receive loop. Channels' queue and wait cost
        about 40-50 µs per socket per event, more than sending it; `take` must not block."""
        self.takers[channel] = take

    def stop_handing(self, channel: str) -> None:
        self.takers.pop(channel, None)


class PubSubChannelLayer(RedisPubSubChannelLayer):
    def deserialize(self, message):
        # A group's event arrives decoded already (_Shard._receive_message).
        return message if isinstance(message, dict) else super().deserialize(message)

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = self._layers[loop] = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            _wrap_close(self, loop)  # the loop's end closes its connections
            return layer

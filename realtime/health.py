"""Channel layer health: a message sent through the layer must come back."""

import asyncio
import contextlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

ROUND_TRIP_TIMEOUT = 2.0


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    try:
        await layer.send(channel, {"type": "healthz.ping"})
        if (message := await layer.receive(channel))["type"] != "healthz.ping":
            raise ConnectionError(f"the layer answered {message['type']}")
    finally:
        await _release(layer, channel)


async def _release(layer, channel: str) -> None:
    """Let the layer forget the channel, as it does when a consumer leaves.

    The pub/sub layer keeps a channel subscribed until a receive on it is cancelled
    (that is how a consumer's end looks to it); a health check every second would
    otherwise leave a subscription behind each time.
    """
    pending = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)
    pending.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pending


def channel_layer_health() -> dict:
    layer = get_channel_layer()
    backend = type(layer).__name__ if layer else "none"
    if layer is None:
        return {"status": "down", "backend": backend, "detail": "no channel layer configured"}
    try:
        async_to_sync(asyncio.wait_for)(_round_trip(), ROUND_TRIP_TIMEOUT)
    except Exception as exc:
        logger.warning("Channel layer health check failed: %r", exc)
        return {"status": "down", "backend": backend, "detail": repr(exc)[:200]}
    return {"status": "ok", "backend": backend}

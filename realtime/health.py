"""Channel layer health: a message sent through the layer must come back."""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

ROUND_TRIP_TIMEOUT = 2.0


async def _round_trip() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    await layer.receive(channel)


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

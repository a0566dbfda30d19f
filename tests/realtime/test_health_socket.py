import asyncio

import pytest
import websockets
from channels.testing import WebsocketCommunicator

from community.asgi import application
from realtime.consumers import CLOSE_READ_ONLY


def health_socket(origin: bytes = b"http://127.0.0.1") -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application, "/ws/healthz/", headers=[(b"origin", origin), (b"host", b"127.0.0.1")]
    )


@pytest.mark.asyncio
async def test_health_socket_round_trips_through_the_redis_layer():
    communicator = health_socket()
    connected, _ = await communicator.connect()

    assert connected
    assert await communicator.receive_json_from(timeout=5) == {"type": "healthz", "status": "ok"}
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_socket_from_a_foreign_origin_is_refused():
    communicator = health_socket(origin=b"https://evil.example")
    connected, _ = await communicator.connect()

    assert not connected


@pytest.mark.asyncio
async def test_client_frames_close_the_read_only_socket():
    communicator = health_socket()
    await communicator.connect()
    await communicator.receive_json_from(timeout=5)

    await communicator.send_to(text_data='{"type": "write"}')

    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_READ_ONLY}


def test_live_server_accepts_a_websocket_handshake(live_server_url):
    async def handshake():
        ws_url = live_server_url.replace("http://", "ws://") + "/ws/healthz/"
        async with websockets.connect(ws_url, origin=live_server_url) as socket:
            return await asyncio.wait_for(socket.recv(), timeout=5)

    assert asyncio.run(handshake()) == '{"type": "healthz", "status": "ok"}'


@pytest.mark.asyncio
async def test_health_checks_leave_no_subscriptions_behind():
    """A worker answers /healthz every second for the balancer, on one event loop."""
    import redis.asyncio
    from django.conf import settings

    from realtime.health import _round_trip

    for _ in range(5):
        await _round_trip()
    await asyncio.sleep(0.2)  # the unsubscribes reach Redis

    async with redis.asyncio.Redis.from_url(settings.REDIS_URL) as client:
        assert await client.pubsub_channels("*healthz.*") == []

"""Websockets against the real ASGI server (uvicorn), as browsers meet them."""

import asyncio
import sys
from pathlib import Path

import pytest
import websockets

from tests.factories import make_idea

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402


def test_oversized_frames_close_the_socket(live_server_url):
    idea = make_idea()

    async def send_big_frame():
        url = live_server_url.replace("http://", "ws://") + f"/ws/ideas/{idea.pk}/"
        async with websockets.connect(url, origin=live_server_url) as socket:
            await socket.send("x" * 100_000)
            try:
                await asyncio.wait_for(socket.recv(), timeout=5)
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    assert asyncio.run(send_big_frame()) == 1009  # "message too big"


def test_foreign_origins_are_refused_by_the_server(live_server_url):
    idea = make_idea()

    async def connect():
        url = live_server_url.replace("http://", "ws://") + f"/ws/ideas/{idea.pk}/"
        async with websockets.connect(url, origin="https://evil.example"):
            pass

    with pytest.raises(websockets.InvalidStatus):
        asyncio.run(connect())


def test_sockets_close_for_a_catch_up_when_the_layer_loses_redis(live_server_url):
    """Pushes sent while Redis is away are lost; the socket must not look live meanwhile."""
    idea = make_idea()

    async def watch_while_redis_stops():
        url = live_server_url.replace("http://", "ws://") + f"/ws/ideas/{idea.pk}/"
        async with websockets.connect(url, origin=live_server_url) as socket:
            await asyncio.to_thread(testenv.stop_service, "redis")
            try:
                await asyncio.wait_for(socket.recv(), timeout=15)
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    try:
        assert asyncio.run(watch_while_redis_stops()) == 1012  # reconnect and catch up
    finally:
        testenv.start_service("redis")

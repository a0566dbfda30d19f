"""The site as `make run` and docs/deploy.md serve it: gunicorn, uvicorn's worker with
the site's limits (community.core.gunicorn_worker), in real processes."""

import asyncio
import urllib.request

import pytest
import websockets

from community.core import bench
from tests.factories import make_idea


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_pages_and_closes_an_oversized_websocket_message():
    idea = make_idea()

    with bench.serve("gunicorn", workers=1) as served:
        with urllib.request.urlopen(f"{served.url}{idea.get_absolute_url()}") as response:
            assert response.status == 200
            assert idea.title in response.read().decode()

        async def send(size: int):
            url = served.url.replace("http://", "ws://") + f"/ws/ideas/{idea.pk}/"
            async with websockets.connect(url, origin=served.url, max_size=None) as socket:
                await socket.send("x" * size)
                try:
                    await asyncio.wait_for(socket.recv(), timeout=10)
                except websockets.ConnectionClosed as closed:
                    return closed.rcvd.code if closed.rcvd else None

        # A small message reaches the (read-only) consumer, which closes; a large one
        # is refused by the server before the site sees it: "message too big".
        assert asyncio.run(send(100)) == 4003
        assert asyncio.run(send(100_000)) == 1009

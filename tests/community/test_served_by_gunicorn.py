"""The site as `make run` and docs/deploy.md serve it: gunicorn, uvicorn's worker with
the site's limits (community.core.gunicorn_worker), in real processes."""

import asyncio
import os
import signal
import time
import urllib.request
from pathlib import Path

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


def running(pid: int) -> bool:
    """Whether the process exists and is not a zombie (an orphan waits to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_master_was_killed_shuts_down_instead_of_serving_on_alone():
    # It checks its parent each time it reports to the master, every --timeout / 2 s.
    with bench.serve("gunicorn", workers=1, env={"GUNICORN_CMD_ARGS": "--timeout 20"}) as served:
        master = served.pid
        (worker,) = [pid for pid in bench.process_tree(master) if pid != master]

        os.kill(master, signal.SIGKILL)  # only the master, as the OOM killer would

        deadline = time.monotonic() + 120
        while running(worker):
            assert time.monotonic() < deadline, "the orphaned worker still serves, alone"
            time.sleep(0.2)

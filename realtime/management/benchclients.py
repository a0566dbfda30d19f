"""The websocket clients of `manage.py bench_realtime`, one process among several.

The command starts a few of these (`python -m realtime.management.benchclients`)
so that the clients, not the server, are never what the benchmark measures, and
each process stays under the open-file limit. It talks JSON lines: the first
line on stdin says which sockets to open; then `arm` names the text the next
official response carries, `collect` waits for it on every socket and answers
with the arrival times (CLOCK_MONOTONIC, which every process on the machine
shares, so the command compares them with its own send times), and `quit`
closes the sockets. Plain asyncio and websockets: no Django in here.
"""

import asyncio
import contextlib
import json
import resource
import sys
import time

import websockets

CONNECTS_AT_ONCE = 100  # handshakes in flight per process


class Watchers:
    def __init__(self, targets: list[tuple[int, str]], origin: str):
        self.targets = targets
        self.origin = origin
        self.sockets: list = []
        self.arrived: list[float | None] = []
        self.marker = ""
        self.waiting = 0
        self.all_arrived = asyncio.Event()
        self.closed = 0

    async def connect(self) -> dict:
        started = time.monotonic()
        gate = asyncio.Semaphore(CONNECTS_AT_ONCE)
        failures: list[str] = []

        async def one(url: str):
            async with gate:
                try:
                    # As browsers do: offer compression, take any size of queue.
                    return await websockets.connect(
                        url, origin=self.origin, max_queue=None, open_timeout=60
                    )
                except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                    failures.append(repr(exc))
                    return None

        self.sockets = await asyncio.gather(*(one(url) for _, url in self.targets))
        self.arrived = [None] * len(self.sockets)
        for slot, sock in enumerate(self.sockets):
            if sock is not None:
                asyncio.create_task(self._read(slot, sock))
        return {
            "event": "connected",
            "ok": sum(sock is not None for sock in self.sockets),
            "failed": len(failures),
            "errors": failures[:3],
            "seconds": time.monotonic() - started,
        }

    async def _read(self, slot: int, sock) -> None:
        try:
            async for text in sock:
                # A substring test, not a JSON parse: the clients' CPU stays small.
                if self.marker and self.arrived[slot] is None and self.marker in text:
                    self.arrived[slot] = time.monotonic()
                    self.waiting -= 1
                    if self.waiting == 0:
                        self.all_arrived.set()
        except websockets.ConnectionClosed:
            pass
        self.closed += 1

    def arm(self, marker: str) -> dict:
        self.marker = marker
        self.arrived = [None] * len(self.sockets)
        self.waiting = sum(sock is not None for sock in self.sockets)
        self.all_arrived = asyncio.Event()
        if self.waiting == 0:
            self.all_arrived.set()
        return {"event": "armed"}

    async def collect(self, timeout: float) -> dict:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.all_arrived.wait(), timeout)
        arrivals: dict[int, list[float]] = {}
        for (idea_id, _), at in zip(self.targets, self.arrived, strict=True):
            if at is not None:
                arrivals.setdefault(idea_id, []).append(at)
        self.marker = ""
        return {"event": "arrivals", "arrivals": arrivals, "closed": self.closed}

    async def quit(self) -> dict:
        open_sockets = [sock for sock in self.sockets if sock is not None]
        await asyncio.gather(*(sock.close() for sock in open_sockets), return_exceptions=True)
        return {"event": "bye"}


def _say(answer: dict) -> None:
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


async def main() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    config = json.loads(await asyncio.to_thread(sys.stdin.readline))
    watchers = Watchers([tuple(target) for target in config["targets"]], config["origin"])
    _say(await watchers.connect())
    while line := await asyncio.to_thread(sys.stdin.readline):
        command = json.loads(line)
        if "arm" in command:
            _say(watchers.arm(command["arm"]))
        elif "collect" in command:
            _say(await watchers.collect(command["collect"]))
        else:
            _say(await watchers.quit())
            return


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())

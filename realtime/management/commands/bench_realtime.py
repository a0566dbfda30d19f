"""Benchmark live delivery: N websocket clients on one idea, an official response,
and how long until every client has it.

Starts the site's ASGI server (uvicorn) as a subprocess on a free port with the
Redis channel layer, connects N clients, posts official responses through the
domain service in this process, and prints delivery latency p50/p99 to all
clients and the delivery rate. Run it with `make bench`.
"""

import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import websockets
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ideas import services
from ideas.models import Category


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _raise_open_file_limit(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(max(soft, wanted), hard), hard))


class Command(BaseCommand):
    help = "Measure official-response delivery to many websocket clients over Redis."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=1000)
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, clients: int, rounds: int, **options):
        if not settings.REDIS_URL:
            raise CommandError("Set REDIS_URL: the benchmark measures the Redis channel layer.")
        _raise_open_file_limit(clients * 2 + 256)
        author, responder = self._people()
        idea = services.idea_create(
            author=author,
            title="Benchmark idea watched by many people",
            # A new text each run: the spam check refuses the same text on another idea.
            body=f"Everyone is watching this one (run {time.time():.0f}).",
            category=Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0],
        )
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "community.asgi:application", "--host", "127.0.0.1",
             "--port", str(port), "--no-access-log", "--log-level", "warning",
             "--timeout-graceful-shutdown", "5"],
            env=os.environ | {"DEBUG": "false"},
        )  # fmt: skip
        try:
            self._wait_for(f"http://127.0.0.1:{port}/healthz")
            asyncio.run(self._run(port, idea.pk, responder, clients, rounds))
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()

    def _people(self):
        from allauth.account.models import EmailAddress

        from community.models import User

        author, _ = User.objects.get_or_create(username="bench_author", email="ba@example.com")
        EmailAddress.objects.get_or_create(
            user=author, email=author.email, defaults={"verified": True, "primary": True}
        )
        responder, _ = User.objects.get_or_create(username="bench_staff", email="bs@example.com")
        responder.is_superuser = True  # answers in the company's name
        responder.save()
        EmailAddress.objects.get_or_create(
            user=responder, email=responder.email, defaults={"verified": True, "primary": True}
        )
        return author, responder

    def _wait_for(self, url: str) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("The ASGI server did not start.")

    async def _run(self, port: int, idea_id: int, responder, clients: int, rounds: int) -> None:
        url = f"ws://127.0.0.1:{port}/ws/ideas/{idea_id}/"
        origin = f"http://127.0.0.1:{port}"
        sockets = []
        started = time.perf_counter()
        for start in range(0, clients, 100):  # handshakes in waves of 100
            batch = range(start, min(start + 100, clients))
            sockets += await asyncio.gather(
                *(websockets.connect(url, origin=origin, max_queue=None) for _ in batch)
            )
        self.stdout.write(
            f"Connected {len(sockets):,} clients in {time.perf_counter() - started:.1f} s"
        )
        self.stdout.write(
            f"\n{'round':<7} {'received':>9} {'p50 ms':>8} {'p99 ms':>8} {'msg/s':>9}"
        )
        all_latencies = []
        try:
            for round_number in range(1, rounds + 1):
                body = f"Official response number {round_number}"
                waiting = [asyncio.create_task(self._receive(s, body)) for s in sockets]
                sent = time.perf_counter()
                await asyncio.to_thread(self._post, idea_id, responder, body)
                arrivals = [t for t in await asyncio.gather(*waiting) if t is not None]
                latencies = [(t - sent) * 1000 for t in arrivals]
                all_latencies += latencies
                rate = len(arrivals) / max(max(arrivals) - sent, 1e-9) if arrivals else 0
                p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else 0
                self.stdout.write(
                    f"{round_number:<7} {len(arrivals):>9,} {statistics.median(latencies):>8.1f} "
                    f"{p99:>8.1f} {rate:>9,.0f}"
                )
        finally:
            await asyncio.gather(*(s.close() for s in sockets), return_exceptions=True)
        expected = clients * rounds
        p99 = statistics.quantiles(all_latencies, n=100)[98]
        self.stdout.write(
            f"\nAll rounds: {len(all_latencies):,}/{expected:,} delivered, "
            f"p50 {statistics.median(all_latencies):.1f} ms, p99 {p99:.1f} ms"
        )

    @staticmethod
    def _post(idea_id: int, responder, body: str) -> None:
        from django.db import close_old_connections

        close_old_connections()
        services.comment_create(author=responder, idea_id=idea_id, body=body, official=True)

    @staticmethod
    async def _receive(sock, body: str) -> float | None:
        try:
            while True:
                message = json.loads(await asyncio.wait_for(sock.recv(), timeout=30))
                if message.get("kind") == "official" and body in message.get("html", ""):
                    return time.perf_counter()
        except (TimeoutError, websockets.ConnectionClosed):
            return None

"""Benchmark live delivery: many websocket clients, official responses, and how long
until every client has its idea's.

Serves the site with a real ASGI server (`--server`, `--workers` processes) and the
Redis pub/sub channel layer, opens `--clients` websockets from a few client
processes (realtime/management/benchclients.py), spread over `--ideas` ideas
(one: everybody watches the same idea; 2,000: five watchers each, the realistic
case), and each round posts one official response on every idea through the
domain service (from a few threads when there are many ideas). It prints, per
round, what arrived against what was expected, p50 and p99 latency from each
post to each of its watchers, and the delivery rate; and overall the connect
time, how the sockets spread over the worker processes, the server's CPU per
delivered message, Redis's CPU, memory per socket and the load average.
A lost message is printed loudly, and fails the command with --strict.
Run it with `make bench` (REALTIME_ARGS).
"""

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.text import slugify

from community.core.bench import (
    ASGI_SERVERS,
    load_average,
    process_tree,
    process_tree_cpu_seconds,
    process_tree_rss_mib,
    serve,
)
from ideas import services
from ideas.markdown import render_markdown
from ideas.models import Category, Idea

SOCKETS_PER_CLIENT_PROCESS = 2_500
COLLECT_TIMEOUT = 30.0  # after the last post, how long a watcher may take
IDLE_SECONDS = 5.0


class Command(BaseCommand):
    help = "Measure official-response delivery to many websocket clients over Redis."

    def add_arguments(self, parser):
        parser.add_argument("--server", choices=ASGI_SERVERS, default="gunicorn")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--clients", type=int, default=10_000)
        parser.add_argument(
            "--ideas", type=int, default=1, help="Ideas watched; the clients spread evenly."
        )
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument(
            "--warmup",
            type=int,
            default=1,
            help="Rounds first that are printed but not counted (each process's first use).",
        )
        parser.add_argument(
            "--client-processes",
            type=int,
            default=0,
            help=f"Client processes (default: one per {SOCKETS_PER_CLIENT_PROCESS:,} sockets).",
        )
        parser.add_argument(
            "--post-threads", type=int, default=4, help="Threads that post, with many ideas."
        )
        parser.add_argument(
            "--deflate",
            action="store_true",
            help="uvicorn: compress each socket's messages (permessage-deflate), as uvicorn "
            "does by default; docs/deploy.md turns it off.",
        )
        parser.add_argument(
            "--strict", action="store_true", help="Fail unless every message arrived."
        )

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            raise CommandError("Set REDIS_URL: the benchmark measures the Redis channel layer.")
        clients, n_ideas = options["clients"], options["ideas"]
        if clients < n_ideas:  # a quick run's few clients, with make bench's --ideas 2000
            self.stdout.write(f"Only {clients:,} clients: {clients:,} ideas, one watcher each.")
            n_ideas = clients
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the servers inherit it
        responder = _responder()
        idea_ids = _ideas(n_ideas, author=responder)
        processes = options["client_processes"] or math.ceil(clients / SOCKETS_PER_CLIENT_PROCESS)
        self.stdout.write(
            f"{options['server']}, {options['workers']} worker(s): {clients:,} websocket "
            f"clients on {n_ideas:,} idea(s) from {processes} client process(es), "
            f"{options['rounds']} round(s); load average {load_average():.1f}"
            + (", permessage-deflate on" if options["deflate"] else "")
        )
        # uvicorn's supervisor kills a worker that misses its 5 s health check, which a
        # worker busy with thousands of handshakes on a loaded machine does; it then drops
        # every socket it held (docs/deploy.md).
        healthcheck = os.environ.get("UVICORN_TIMEOUT_WORKER_HEALTHCHECK", "30")
        env = {
            "UVICORN_TIMEOUT_WORKER_HEALTHCHECK": healthcheck,
            "UVICORN_WS_PER_MESSAGE_DEFLATE": "true" if options["deflate"] else "false",
        }
        with serve(options["server"], workers=options["workers"], env=env) as served:
            lost = self._run(served, idea_ids, responder, clients, processes, options)
        if lost:
            message = f"LOST {lost:,} message(s): some watchers never got their response."
            self.stderr.write(self.style.ERROR(message))
            if options["strict"]:
                raise CommandError(message)

    def _run(self, served, idea_ids, responder, clients, processes, options) -> int:
        port = int(served.url.rsplit(":", 1)[1])
        ws_base = served.url.replace("http://", "ws://")
        targets = [
            (idea_ids[n % len(idea_ids)], f"{ws_base}/ws/ideas/{idea_ids[n % len(idea_ids)]}/")
            for n in range(clients)
        ]
        rss_before = process_tree_rss_mib(served.pid)
        started = time.monotonic()
        watchers = [
            ClientProcess(targets[n::processes], origin=served.url) for n in range(processes)
        ]
        try:
            connected = [w.answer() for w in watchers]
            connect_seconds = time.monotonic() - started
            ok = sum(c["ok"] for c in connected)
            self.stdout.write(f"Connected {ok:,} of {clients:,} clients in {connect_seconds:.1f} s")
            failed = sum(c["failed"] for c in connected)
            if failed:
                errors = "; ".join(e for c in connected for e in c["errors"])
                self.stderr.write(
                    self.style.ERROR(f"{failed:,} clients failed to connect: {errors}")
                )
            time.sleep(1)  # let the last subscriptions settle before measuring memory
            per_worker = sockets_per_worker(served.pid, port)
            processes_then = set(process_tree(served.pid))
            self.stdout.write(
                "Sockets per worker process: "
                + ", ".join(f"pid {pid}: {count:,}" for pid, count in per_worker.items())
            )
            rss_after = process_tree_rss_mib(served.pid)
            per_socket = (rss_after - rss_before) * 1024 / max(ok, 1)
            self.stdout.write(
                f"Server memory {rss_before:,.0f} MiB before connecting, {rss_after:,.0f} MiB "
                f"with the sockets: {per_socket:.1f} KiB per socket"
            )
            idle = self._idle(served, watchers)
            totals = self._rounds(served, watchers, idea_ids, responder, clients, options, idle)
            rss_used = process_tree_rss_mib(served.pid)
            if gone := processes_then - set(process_tree(served.pid)):
                self.stderr.write(
                    self.style.ERROR(
                        f"Server process(es) {', '.join(map(str, sorted(gone)))} ended during "
                        "the rounds (a worker replaced drops its sockets)."
                    )
                )
        finally:
            for w in watchers:
                w.quit()
        delivered, cpu, redis_cpu, latencies, lost = totals
        expected = clients * options["rounds"]
        p50, p99 = _p50_p99(latencies)
        self.stdout.write(
            f"\nAll rounds: {delivered:,}/{expected:,} delivered, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms\nServer CPU beyond idle {cpu:.2f} s: "
            f"{cpu / max(delivered, 1) * 1e6:.0f} µs per delivered message; "
            f"Redis CPU beyond idle {redis_cpu:.2f} s; load average {load_average():.1f}\n"
            f"Server memory after the rounds {rss_used:,.0f} MiB: "
            f"{(rss_used - rss_before) * 1024 / max(ok, 1):.1f} KiB per socket"
        )
        return lost

    def _idle(self, served, watchers) -> tuple[float, float, float]:
        """CPU per second of the server, Redis and the clients with the sockets open and
        quiet: the keepalive pings, which a long round (many ideas) would otherwise count
        as delivery."""
        before = _cpu(served, watchers)
        started = time.monotonic()
        time.sleep(IDLE_SECONDS)
        seconds = time.monotonic() - started
        after = _cpu(served, watchers)
        rates = tuple((b - a) / seconds for a, b in zip(before, after, strict=True))
        self.stdout.write(
            f"Idle with the sockets open: server {rates[0]:.3f} CPU s/s, Redis "
            f"{rates[1]:.3f}, clients {rates[2]:.3f} (left out of the per-message CPU below)"
        )
        return rates

    def _rounds(self, served, watchers, idea_ids, responder, clients, options, idle):
        self.stdout.write(
            f"\n{'round':<6} {'received':>15} {'first ms':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'max ms':>8} "
            f"{'msg/s':>8} {'CPU µs/msg':>10} {'client µs':>9} {'Redis CPU s':>11} {'load':>5}"
        )
        run = uuid.uuid4().hex[:8]
        delivered, cpu, redis_cpu, all_latencies, lost = 0, 0.0, 0.0, [], 0
        for round_number in range(1 - options["warmup"], options["rounds"] + 1):
            marker = f"bench{run}r{round_number + options['warmup']}x"
            for w in watchers:
                w.tell({"arm": marker})
            for w in watchers:
                w.answer()
            cpu_before, redis_before, clients_before = _cpu(served, watchers)
            round_started = time.monotonic()
            sent = _post_all(idea_ids, responder, marker, threads=options["post_threads"])
            for w in watchers:
                w.tell({"collect": COLLECT_TIMEOUT})
            answers = [w.answer() for w in watchers]
            round_seconds = time.monotonic() - round_started
            cpu_after, redis_after, clients_after = _cpu(served, watchers)
            round_cpu = max(cpu_after - cpu_before - idle[0] * round_seconds, 0.0)
            round_redis = max(redis_after - redis_before - idle[1] * round_seconds, 0.0)
            client_cpu = max(clients_after - clients_before - idle[2] * round_seconds, 0.0)
            latencies, last = [], 0.0
            for answer in answers:
                for idea_id, times in answer["arrivals"].items():
                    latencies += [(t - sent[int(idea_id)]) * 1000 for t in times]
                    last = max(last, *times)
            received = len(latencies)
            rate = received / max(last - min(sent.values()), 1e-9) if received else 0.0
            p50, p99 = _p50_p99(latencies)
            flag = "" if received == clients else "  << LOST"
            label = str(round_number) if round_number > 0 else "warm-up"
            self.stdout.write(
                f"{label:<7} {f'{received:,}/{clients:,}':>14} {min(latencies, default=0):>8.1f} "
                f"{p50:>8.1f} {p99:>8.1f} "
                f"{max(latencies, default=0):>8.1f} {rate:>8,.0f} "
                f"{round_cpu / max(received, 1) * 1e6:>10.0f} "
                f"{client_cpu / max(received, 1) * 1e6:>9.0f} {round_redis:>11.2f} "
                f"{load_average():>5.1f}{flag}"
            )
            lost += clients - received
            time.sleep(0.5)
            if round_number <= 0:
                continue
            delivered += received
            cpu += round_cpu
            redis_cpu += round_redis
            all_latencies += latencies
        return delivered, cpu, redis_cpu, all_latencies, lost


class ClientProcess:
    """One benchclients process and its share of the sockets."""

    def __init__(self, targets: list[tuple[int, str]], *, origin: str):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "realtime.management.benchclients"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=settings.BASE_DIR,
        )
        self.tell({"targets": targets, "origin": origin})

    def tell(self, command: dict) -> None:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def answer(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise CommandError(f"A client process exited with status {self.proc.wait()}.")
        return json.loads(line)

    def quit(self) -> None:
        try:
            self.tell({"quit": True})
            self.answer()
            self.proc.wait(timeout=30)
        except (OSError, ValueError, CommandError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def _responder():
    from allauth.account.models import EmailAddress

    from community.models import User

    responder, _ = User.objects.get_or_create(username="bench_staff", email="bs@example.com")
    responder.is_superuser = True  # answers in the company's name
    responder.save()
    EmailAddress.objects.get_or_create(
        user=responder, email=responder.email, defaults={"verified": True, "primary": True}
    )
    return responder


def _ideas(count: int, *, author) -> list[int]:
    """`count` new ideas to watch, written at once (their content does not matter here)."""
    category = Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0]
    run = uuid.uuid4().hex[:8]
    body = "Everyone is watching this one."
    now = timezone.now()
    ideas = [
        Idea(
            title=f"Benchmark idea {n} watched live ({run})",
            slug=slugify(f"benchmark idea {n} {run}"),
            body=body,
            body_html=render_markdown(body),
            author=author,
            category=category,
            created_at=now,
            updated_at=now,
            last_activity_at=now,
        )
        for n in range(count)
    ]
    return [idea.pk for idea in Idea.objects.bulk_create(ideas, batch_size=1_000)]


def _post_all(idea_ids: list[int], responder, marker: str, *, threads: int) -> dict[int, float]:
    """One official response on each idea; when each was posted (CLOCK_MONOTONIC)."""
    sent: dict[int, float] = {}

    def post(share: list[int]) -> None:
        close_old_connections()
        try:
            for idea_id in share:
                sent[idea_id] = time.monotonic()
                services.comment_create(
                    author=responder,
                    idea_id=idea_id,
                    body=f"Official response {marker} on this idea.",
                    official=True,
                    near_copy_acknowledged=True,  # the same answer everywhere, on purpose
                )
        finally:
            connections.close_all()

    if len(idea_ids) == 1:
        post(idea_ids)
    else:
        threads = min(threads, len(idea_ids))
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(post, [idea_ids[n::threads] for n in range(threads)]))
    return sent


def _cpu(served, watchers) -> tuple[float, float, float]:
    """CPU seconds used so far by the server's processes, Redis and the client processes."""
    clients = sum(process_tree_cpu_seconds(w.proc.pid) for w in watchers)
    return process_tree_cpu_seconds(served.pid), redis_cpu_seconds(), clients


def _p50_p99(latencies: list[float]) -> tuple[float, float]:
    if len(latencies) < 2:
        return (latencies[0], latencies[0]) if latencies else (0.0, 0.0)
    return statistics.median(latencies), statistics.quantiles(latencies, n=100, method="inclusive")[
        98
    ]


# --- the server's processes, from /proc ---------------------------------------------------


def sockets_per_worker(pid: int, port: int) -> dict[int, int]:
    """Established TCP connections to `port` held by each process of the server's tree:
    which worker got the websockets."""
    established = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as rows:
                next(rows)
                for row in rows:
                    fields = row.split()
                    local_port = int(fields[1].rsplit(":", 1)[1], 16)
                    if local_port == port and fields[3] == "01":  # ESTABLISHED
                        established.add(fields[9])
        except FileNotFoundError:
            continue
    counts = {}
    for current in process_tree(pid):
        count = sum(link[8:-1] in established for link in _fd_links(current))
        if count:
            counts[current] = count
    return counts


def _fd_links(pid: int) -> list[str]:
    links = []
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except (FileNotFoundError, PermissionError):
        return links
    for fd in fds:
        try:
            link = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:  # closed meanwhile
            continue
        if link.startswith("socket:["):
            links.append(link)
    return links


def redis_cpu_seconds() -> float:
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:
        cpu = client.info("cpu")
        return float(cpu["used_cpu_sys"]) + float(cpu["used_cpu_user"])
    finally:
        client.close()

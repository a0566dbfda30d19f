"""Shared by the benchmark commands (`make bench`, `make bench-email`, `make bench-api`):
what they need from the database and the task queue, `db_worker` processes with
the CPU they use, and timings of requests through Django's full stack.

The community the page benchmarks load is the domain's (`ideas.management.benchmark`).
"""

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django_tasks import task_backends


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise CommandError("The benchmark needs PostgreSQL: set DATABASE_URL (make bench does).")


def require_task_queue() -> None:
    if not task_backends["default"].supports_defer:
        raise CommandError("Set TASKS_BACKEND=database: the benchmark measures the worker.")


def database_url() -> str:
    """The URL of the database this process uses, for the processes it starts."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """`manage.py db_worker` processes on the benchmark's database and task queue."""

    def __init__(self, count: int, *, name: str, env: dict[str, str] | None = None):
        environment = os.environ | {"DATABASE_URL": database_url(), "TASKS_BACKEND": "database"}
        manage = Path(settings.BASE_DIR) / "manage.py"
        self.procs = [
            subprocess.Popen(
                [
                    sys.executable, str(manage), "db_worker", "--interval", "0.1",
                    "--no-startup-delay", "--no-reload", "--worker-id", f"{name}-{n}",
                ],
                env=environment | (env or {}),
                stdout=subprocess.DEVNULL,
            )
            for n in range(count)
        ]  # fmt: skip

    def cpu_seconds(self) -> float:
        """CPU seconds (user and system) the running workers have used so far, all together;
        read before the measured work, it leaves their start-up out of the figure."""
        ticks = os.sysconf("SC_CLK_TCK")
        used = 0.0
        for proc in self.procs:
            with open(f"/proc/{proc.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
        return used

    def stop(self) -> float:
        """Stop the workers; the CPU seconds they used (user and system), start-up included."""
        for proc in self.procs:
            proc.terminate()
        used = 0.0
        for proc in self.procs:
            _, _, usage = os.wait4(proc.pid, 0)
            proc.returncode = 0
            used += usage.ru_utime + usage.ru_stime
        return used


def load_average() -> float:
    return os.getloadavg()[0]


# --- timings -------------------------------------------------------------------------------


def percentiles(timings_ms: list[float]) -> tuple[float, float]:
    """p50 and p95 of a list of timings."""
    return statistics.median(timings_ms), statistics.quantiles(timings_ms, n=20)[18]


def time_calls(call: Callable[[], object], times: int) -> list[float]:
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def time_requests(request: Callable, times: int, *, ok=(200,), name: str = "") -> tuple:
    """Make the request once to warm up, then `times` times: the timings (ms), the most
    queries one made, and the last one's queries. A status not in `ok` stops the run."""
    request()
    timings, queries = [], 0
    for _ in range(times):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = request()
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code not in ok:
            raise CommandError(f"{name}: HTTP {response.status_code} {response.content[:300]!r}")
        queries = max(queries, len(captured.captured_queries))
    return timings, queries, captured.captured_queries


def timing_header(first: str = "scenario") -> str:
    return f"{first:<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}"


def timing_row(name: str, timings: list[float], queries: int | str = "") -> str:
    p50, p95 = percentiles(timings)
    return f"{name:<30} {p50:>8.1f} {p95:>8.1f} {queries:>8}"


# --- the site behind a real ASGI server ----------------------------------------------------

# The servers the benchmarks compare; granian runs without ASGI lifespan (asginl), which
# the site does not use and Channels does not answer.
ASGI_SERVERS = ("uvicorn", "granian", "gunicorn")


class Served(NamedTuple):
    url: str
    pid: int


def server_argv(server: str, *, workers: int, port: int) -> list[str]:
    app = "community.asgi:application"
    if server == "uvicorn":
        return [
            sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--no-access-log", "--log-level", "warning",
            "--ws-max-size", "65536", "--timeout-graceful-shutdown", "5",
        ]  # fmt: skip
    if server == "granian":
        return [
            sys.executable, "-m", "granian", "--interface", "asginl", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(workers), "--log-level", "warning",
            "--no-access-log", app,
        ]  # fmt: skip
    if server == "gunicorn":
        return [
            sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers), "--worker-class", "community.core.gunicorn_worker.Worker",
            "--log-level", "warning", "--graceful-timeout", "5",
            # Its control socket's one path per user would be shared by every server here.
            "--no-control-socket",
        ]  # fmt: skip
    raise CommandError(f"Unknown ASGI server {server!r}: choose one of {', '.join(ASGI_SERVERS)}.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(server: str = "uvicorn", *, workers: int = 1, env: dict[str, str] | None = None):
    """The site served by `server` with `workers` processes on a free loopback port, with
    this process's database. Yields (base URL, server pid) once /healthz answers; stops
    the server and its workers after."""
    port = free_port()
    environment = os.environ | {"DEBUG": "false", "DATABASE_URL": database_url()} | (env or {})
    proc = subprocess.Popen(
        server_argv(server, workers=workers, port=port),
        env=environment,
        cwd=settings.BASE_DIR,
        start_new_session=True,  # the workers are the server's children: stop them together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/healthz", proc)
        yield Served(base, proc.pid)
    finally:
        _stop(proc)


def _wait_for(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise CommandError(f"The ASGI server exited with status {proc.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"The ASGI server did not answer {url} within 60 s.")


def _stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        proc.wait()


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (a server and its workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending += [int(child) for child in children.read().split()]
        except FileNotFoundError:
            continue
        found.append(current)
    return found


def process_tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (a server and its workers), MiB."""
    total_kib = 0
    for current in process_tree(pid):
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total_kib += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total_kib / 1024


def process_tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) a process and its descendants have used so far."""
    ticks, used = os.sysconf("SC_CLK_TCK"), 0.0
    for current in process_tree(pid):
        try:
            with open(f"/proc/{current}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        used += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return used


def wait_until_idle(pid: int, *, timeout: float = 60.0) -> None:
    """Wait until a server and its workers use (almost) no CPU: a load generator that
    stops leaves requests queued in the workers, which would slow the next run's start."""
    deadline, quiet = time.monotonic() + timeout, 0
    before = process_tree_cpu_seconds(pid)
    while quiet < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        now = process_tree_cpu_seconds(pid)
        quiet = quiet + 1 if now - before < 0.02 else 0  # under a tenth of a core
        before = now

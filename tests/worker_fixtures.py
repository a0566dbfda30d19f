"""Fixtures for background work: real `db_worker` processes, the real SMTP server's mail.

Loaded by tests/conftest.py. A worker is a separate process, so it sees only
committed rows: tests that use `worker` run with `transactional_db`, and the
worker connects to pytest-django's test database (`test_<name>`), read from
the live connection settings rather than guessed.
"""

import email
import email.policy
import mailbox as stdlib_mailbox
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Workers:
    """`manage.py db_worker` processes against the test database."""

    def __init__(self, log_dir: Path):
        self.procs: list[subprocess.Popen] = []
        self.log_dir = log_dir

    def start(self, count: int = 1) -> None:
        env = os.environ | {
            "DATABASE_URL": _database_url(),
            "DJANGO_SETTINGS_MODULE": "community.settings.test",
            "PYTHONUNBUFFERED": "1",
        }
        for _ in range(count):
            n = len(self.procs)
            log = open(self.log_dir / f"worker-{n}.log", "ab")  # noqa: SIM115 (closed on stop)
            argv = [sys.executable, str(ROOT / "manage.py"), "db_worker", "--interval", "0.1"]
            argv += ["--no-startup-delay", "--no-reload", "--worker-id", f"test-worker-{n}"]
            proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            proc.log = log
            self.procs.append(proc)

    def kill(self) -> None:
        """SIGKILL every worker: no chance to finish the task in hand."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 15
        for proc in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
        self._reap()

    def _reap(self) -> None:
        for proc in self.procs:
            proc.wait()
            proc.log.close()
        self.procs = []


@pytest.fixture
def worker(transactional_db, tmp_path):
    """One running worker (start more with `worker.start(n)`); stopped before the flush."""
    workers = Workers(tmp_path)
    workers.start(1)
    yield workers
    workers.stop()


class Mailbox:
    """The SMTP server's Maildir: every message it accepted, parsed."""

    def __init__(self, path: Path):
        self.path = path
        self.hold_file = path.parent / "hold-rcpt"

    def clear(self) -> None:
        box = stdlib_mailbox.Maildir(self.path, create=True)
        for key in list(box.iterkeys()):
            box.remove(key)
        self.hold_file.unlink(missing_ok=True)

    def messages(self, to: str | None = None) -> list[email.message.EmailMessage]:
        box = stdlib_mailbox.Maildir(self.path, create=True)
        found = []
        for key in list(box.iterkeys()):
            with box.get_file(key) as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            if to is None or message["To"] == to:
                found.append(message)
        return found

    def wait_for(self, count: int, *, timeout: float = 30.0, to: str | None = None) -> list:
        deadline = time.monotonic() + timeout
        while True:
            found = self.messages(to)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)

    def hold(self, address: str) -> None:
        """Make the server keep a client waiting at RCPT TO for this address."""
        self.hold_file.write_text(address)

    def release(self) -> None:
        self.hold_file.unlink(missing_ok=True)


@pytest.fixture
def mailbox():
    path = os.environ.get("IDEALOOP_MAILDIR")
    if not path:
        pytest.skip("needs the SMTP server `make test` starts (IDEALOOP_MAILDIR)")
    box = Mailbox(Path(path))
    box.clear()
    yield box
    box.clear()


@pytest.fixture
def run_tasks():
    """Run every queued task now, in this process, through the real worker's `run_task`.

    The worker's own loop closes "old" connections, which would end a test's
    transaction, so this claims tasks the way it does and runs them the same way.
    """
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    runner = Worker(
        queue_names=["*"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="in-process", excluded_queue_names=[],
    )  # fmt: skip

    def run() -> int:
        count = 0
        while (result := DBTaskResult.objects.ready().first()) is not None:
            result.claim(runner.worker_id)
            runner.run_task(result)
            count += 1
        return count

    return run

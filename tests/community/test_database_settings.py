"""The database settings keep bursts queueing instead of failing."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_the_sqlite_default_takes_a_burst_of_concurrent_votes(tmp_path):
    """26 members voting at once on `make run`'s SQLite gave 23 × "database is locked"."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_URL")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "community.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "community" / "sqlite_vote_burst.py"), "26"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])

    assert outcome["errors"] == []
    assert outcome["added"] == 26


def test_postgresql_connections_come_from_a_pool(transactional_db):
    """A burst of more requests than the pool holds waits for a connection, none fails."""
    assert connection.settings_dict["CONN_MAX_AGE"] == 0
    pool_options = connection.settings_dict["OPTIONS"]["pool"]
    assert pool_options["max_size"] >= 1
    assert connection.pool is not None

    errors: list[Exception] = []
    burst = pool_options["max_size"] * 3
    barrier = threading.Barrier(burst)

    def request() -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            with thread_connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.05)")
        except Exception as exc:
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=request) for _ in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert connection.pool.get_stats()["pool_max"] == pool_options["max_size"]


def test_the_pool_retries_a_lost_database_every_second_not_ever_longer():
    """After a restart the pool waited up to 15 s to try again; requests failed meanwhile."""
    from psycopg_pool.base import AttemptWithBackoff

    attempt = AttemptWithBackoff(timeout=300)
    delays = []
    for now in range(30):  # thirty failed attempts, a second apart
        attempt.update_delay(float(now))
        delays.append(attempt.delay)

    assert max(delays) <= 1.1

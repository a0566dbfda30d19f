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


def _databases_under(settings_module: str, **environ) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": settings_module, "PYTHONPATH": str(ROOT), **environ}
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.DATABASES, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_a_replica_is_configured_only_when_named():
    production = {
        "SECRET_KEY": "a-production-key-" + "x1y2z3" * 10, "ALLOWED_HOSTS": "ideas.example",
        "DATABASE_URL": "postgres://app@primary.internal:5432/idealoop",
        "REDIS_URL": "redis://cache.internal:6379/0", "ELASTICSEARCH_URL": "http://es:9200",
    }  # fmt: skip
    assert set(_databases_under("community.settings.production", **production)) == {"default"}

    replica_url = "postgres://reader@replica.internal:5432/idealoop"
    databases = _databases_under(
        "community.settings.production", **production,
        DATABASE_REPLICA_URL=replica_url, DB_REPLICA_TIMEOUT="2",
    )  # fmt: skip

    replica = databases["replica"]
    assert (replica["HOST"], replica["USER"]) == ("replica.internal", "reader")
    assert replica["OPTIONS"]["pool"]["timeout"] == 2.0  # a dead replica costs seconds
    assert replica["OPTIONS"]["connect_timeout"] == 2
    assert databases["default"]["OPTIONS"]["pool"]["timeout"] == 10.0  # the primary's own
    assert replica["TEST"] == {"MIRROR": "default"}


def test_without_a_replica_replica_reads_read_the_primary(db):
    from community.core.db_routing import replica_reads
    from tests.factories import make_idea

    idea = make_idea(title="Read back inside replica_reads with no replica")
    with replica_reads():
        assert type(idea).objects.filter(pk=idea.pk).exists()

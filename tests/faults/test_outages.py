"""Real services stopped and restarted by the test runner, with the site in use.

For each outage: pages keep answering within 2 s, no vote or comment made
meanwhile is lost, every queued side effect (search outbox, stored live
events) is applied once the service is back, and `/healthz` names the part
that is down. Each test records its figures; the session prints the table
(tests/faults/conftest.py) that docs/reliability.md quotes.
"""

import contextlib
import os
import sys
import threading
from pathlib import Path

import pytest
from django.db import connections
from django.test import Client

from community.cache import breaker_reset as cache_breaker_reset
from realtime.api import breaker_reset as realtime_breaker_reset
from search import indexing
from search.breaker import breaker as search_breaker
from search.client import get_client
from search.models import PendingIndexUpdate
from search.tasks import sync_search_index
from tests.factories import UserFactory, make_idea
from tests.faults.outage import PAGE_BOUND, Outage, timed

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "IDEALOOP_SERVICES_FILE" not in os.environ,
        reason="needs services started by scripts/testenv.py (`make test`)",
    ),
]


@contextlib.contextmanager
def stopped(name: str):
    """The service is stopped inside the block and always started again after it."""
    testenv.stop_service(name)
    try:
        yield
    finally:
        testenv.start_service(name)
        connections.close_all()  # the test's own connection died with a restarted database


def breakers_cooled_down() -> None:
    """What the breakers' cooldowns do by themselves in production, without the wait."""
    cache_breaker_reset()
    realtime_breaker_reset()
    search_breaker.reset()


@pytest.fixture
def search_index(db):
    yield indexing.rebuild
    get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)


@pytest.fixture
def outage(home, search_index):
    ideas = [
        make_idea(title="A keyboard light that follows the room"),
        make_idea(title="Batteries you can swap in the field"),
    ]
    search_index()
    outage = Outage(ideas=ideas, members=[UserFactory() for _ in range(3)])
    outage.browse(rounds=1)  # warm up (first queries on a new index), before any fault
    outage.worst = 0.0
    return outage


def health(client: Client) -> tuple[dict, float]:
    response, seconds = timed(lambda: client.get("/healthz"))
    assert seconds < PAGE_BOUND, f"/healthz took {seconds:.2f} s"
    return response.json()["checks"], seconds


def test_redis_stopped_then_started(outage, figures, run_tasks):
    client = Client()
    with stopped("redis"):
        outage.browse()
        outage.write("while Redis was stopped")
        checks, _ = health(client)
        assert checks["cache"]["status"] == "down"
        assert checks["channel_layer"]["status"] == "down"
        assert checks["database"]["status"] == "ok"
    breakers_cooled_down()
    outage.write("after Redis came back")
    outage.browse()
    checks, _ = health(client)
    assert checks["cache"]["status"] == "ok"
    assert checks["channel_layer"]["status"] == "ok"
    run_tasks()  # what the workers do meanwhile: the queued search syncs

    lost, applied = outage.lost(), outage.applied()
    figures(fault="Redis stopped, then started", worst=outage.worst, lost=lost,
            writes=outage.writes, applied=applied, effects=outage.effects)  # fmt: skip
    assert lost == 0
    assert applied == outage.effects


def test_elasticsearch_stopped_then_started(outage, figures):
    client = Client()
    with stopped("elasticsearch"):
        outage.browse()
        outage.write("while Elasticsearch was stopped")
        assert PendingIndexUpdate.objects.exists(), "the outbox keeps the index updates"
        checks, _ = health(client)
        assert checks["search"]["status"] == "degraded"
        assert checks["search"]["backend"] == "database"
        assert checks["database"]["status"] == "ok"
        assert sync_search_index.call() == 0  # a sync while it is down keeps the rows
        assert PendingIndexUpdate.objects.exists()
    breakers_cooled_down()
    sync_search_index.call()  # the worker's periodic sync, once Elasticsearch answers
    assert not PendingIndexUpdate.objects.exists()
    outage.browse()
    checks, _ = health(client)
    assert checks["search"] == checks["search"] | {"status": "ok", "backend": "elasticsearch"}

    lost, applied = outage.lost(), outage.applied()
    figures(fault="Elasticsearch stopped, then started", worst=outage.worst, lost=lost,
            writes=outage.writes, applied=applied, effects=outage.effects)  # fmt: skip
    assert lost == 0
    assert applied == outage.effects


def idle_connections_in_the_pool(count: int) -> None:
    """As after a busy minute: the pool holds `count` open, idle connections."""
    barrier = threading.Barrier(count)

    def query() -> None:
        from django.db import connection

        try:
            barrier.wait()
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(0.05)")
        finally:
            connection.close()  # back to the pool, still open

    threads = [threading.Thread(target=query) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_postgres_restarted(outage, figures):
    client = Client()
    outage.write("before PostgreSQL restarted")
    # All of them die in the restart; checked one by one with backoff, requests
    # timed out after the database was back.
    idle_connections_in_the_pool(30)
    with stopped("postgres"):
        response, seconds = timed(lambda: client.get("/healthz"))
        assert response.status_code == 503
        assert response.json()["checks"]["database"]["status"] == "down"
        assert seconds < PAGE_BOUND, f"/healthz took {seconds:.2f} s with the database down"
        outage.worst = max(outage.worst, seconds)
    # The connections the pool held died with the server; the first pages after the
    # restart must not fail on them.
    outage.browse()
    outage.write("after PostgreSQL restarted")
    checks, _ = health(client)
    assert checks["database"]["status"] == "ok"
    sync_search_index.call()
    assert not PendingIndexUpdate.objects.exists()

    lost, applied = outage.lost(), outage.applied()
    figures(fault="PostgreSQL restarted", worst=outage.worst, lost=lost,
            writes=outage.writes, applied=applied, effects=outage.effects)  # fmt: skip
    assert lost == 0
    assert applied == outage.effects


@pytest.fixture(autouse=True)
def _close_connections_after():
    yield
    connections.close_all()

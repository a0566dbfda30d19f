"""Reads that may lag go to the PostgreSQL replica; everything else reads the primary.

The harness runs a real hot standby of the primary (streaming replication). Pausing
its replay makes it lag on purpose, so a test can tell which copy answered.
"""

import contextlib
import time

import pytest
from django.db import connections, transaction

from community.core import db_routing
from community.core.db_routing import replica_reads
from ideas.listening import tasks as listening_tasks
from ideas.models import Idea
from tests.factories import make_idea

pytestmark = pytest.mark.cluster


def _replica(sql: str) -> None:
    with connections[db_routing.REPLICA].cursor() as cursor:
        cursor.execute(sql)
    connections[db_routing.REPLICA].close()


@contextlib.contextmanager
def replica_paused():
    """The standby stops applying the primary's changes until the block ends."""
    _replica("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        _replica("SELECT pg_wal_replay_resume()")


def on_replica(idea) -> bool:
    with replica_reads():
        return Idea.objects.filter(pk=idea.pk).exists()


def wait_on_replica(idea, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not on_replica(idea):
        assert time.monotonic() < deadline, "the replica never caught up"
        time.sleep(0.1)


@pytest.fixture(autouse=True)
def _replica_tried_afresh():
    db_routing.reset_replica_breaker()
    yield
    db_routing.reset_replica_breaker()


def test_only_reads_that_ask_for_the_replica_read_it():
    with replica_paused():
        idea = make_idea(title="Written while the replica lags behind")

        assert Idea.objects.filter(pk=idea.pk).exists()  # ordinary reads: the primary
        assert not on_replica(idea)  # the replica has not replayed it yet
        with transaction.atomic(), replica_reads():
            # Inside a transaction every read is the primary's, replica_reads() or not.
            assert Idea.objects.filter(pk=idea.pk).exists()

    wait_on_replica(idea)


def test_the_listening_report_is_computed_from_the_replica():
    listening_tasks.listening_report_refresh.call()
    with replica_paused():
        before = listening_tasks.listening_report_refresh.call()
        idea = make_idea(title="Posted while the replica lags behind")

        assert listening_tasks.listening_report_refresh.call() == before  # not counted yet

    wait_on_replica(idea)
    assert listening_tasks.listening_report_refresh.call() == before + 1


def test_a_replica_that_is_stopped_leaves_the_reads_on_the_primary(cluster):
    idea = make_idea(title="Read while the replica is down")
    wait_on_replica(idea)
    cluster.stop("postgres-replica")

    assert on_replica(idea)  # answered by the primary, not an error
    assert listening_tasks.listening_report_refresh.call() >= 1

    cluster.start("postgres-replica")
    db_routing.reset_replica_breaker()
    with replica_paused():  # the standby answers again, and is read again
        later = make_idea(title="Written once the replica was back")
        assert not on_replica(later)

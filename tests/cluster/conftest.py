"""The cluster suite: tests that talk to two ASGI workers behind HAProxy.

`make cluster` starts everything (scripts/testcluster.py): besides the web workers,
a two-node Elasticsearch, two task workers (`tasks-a`, `tasks-b`) and the scheduler.
The workers are other processes, so these tests do not use pytest-django's test
database: they write to the database the harness migrated and the workers use, with
committed writes (nothing is rolled back or flushed; every test makes its own members
and ideas). Tasks the tests queue run in the task workers. Any service a test kills
is started again after it. Outside the harness the tests are skipped.
"""

import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cluster.http import WebClient

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testcluster  # noqa: E402
import testenv  # noqa: E402

CLUSTER_URL = os.environ.get("IDEALOOP_CLUSTER_URL", "")


def pytest_collection_modifyitems(config, items):
    if CLUSTER_URL:
        return
    skip = pytest.mark.skip(reason="needs the cluster: run `make cluster`")
    for item in items:
        if "cluster" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def django_db_setup():
    """Use the harness's database as it is (migrated, shared with the workers)."""


@pytest.fixture(autouse=True)
def _shared_database(django_db_blocker):
    """Committed ORM writes that the workers see at once."""
    with django_db_blocker.unblock():
        yield


@dataclass
class Cluster:
    balancer: str
    workers: dict[str, str]  # name -> its own URL, to pin a client to one worker
    es_nodes: dict[str, str]  # service name -> node URL
    stats_url: str
    task_workers: tuple[str, ...] = testcluster.TASK_WORKERS  # service names, to kill one
    scheduler: str = testcluster.SCHEDULER

    def client(self, through: str = "balancer") -> WebClient:
        return WebClient(self.balancer if through == "balancer" else self.workers[through])

    def states(self) -> dict[str, str]:
        return testcluster.backend_states(self.stats_url)

    def kill(self, name: str) -> None:
        testenv.kill_service(name)

    def stop(self, name: str) -> None:
        """A clean shutdown (PostgreSQL: one killed outright may not restart at once)."""
        testenv.stop_service(name)

    def start(self, name: str) -> None:
        """Start a stopped service again; a worker only counts once HAProxy sees it up."""
        testenv.start_service(name)
        if name in self.workers:
            testcluster.wait_backends_up(self.stats_url, (name,))

    def wait_down(self, name: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while self.states().get(name) != "DOWN":
            assert time.monotonic() < deadline, f"HAProxy still routes to {name}"
            time.sleep(0.1)


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    services = json.loads(Path(os.environ["IDEALOOP_SERVICES_FILE"]).read_text())
    return Cluster(
        balancer=CLUSTER_URL,
        workers={name: services[name]["url"] for name in testcluster.WEB_WORKERS},
        es_nodes={name: services[name]["url"] for name in testcluster.ES_NODES},
        stats_url=os.environ["IDEALOOP_HAPROXY_STATS_URL"],
    )


@pytest.fixture(autouse=True)
def _everything_up(request):
    """Each test starts with every service running and both workers in the balancer."""
    if not CLUSTER_URL:
        yield
        return
    cluster = request.getfixturevalue("cluster")
    yield
    services = json.loads(Path(os.environ["IDEALOOP_SERVICES_FILE"]).read_text())
    for name, spec in services.items():
        if not spec["pid"]:
            cluster.start(name)

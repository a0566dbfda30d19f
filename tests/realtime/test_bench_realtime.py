"""`manage.py bench_realtime` end to end, small: an operator reading its figures must be
able to trust that every watcher got every response, over two worker processes."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_watcher_of_every_idea_gets_every_official_response():
    out = StringIO()

    call_command(
        "bench_realtime",
        *("--clients", "40", "--workers", "2", "--ideas", "4", "--rounds", "2", "--strict"),
        stdout=out,
    )

    report = out.getvalue()
    assert "Connected 40 of 40 clients" in report
    assert "All rounds: 80/80 delivered" in report
    assert "LOST" not in report
    assert "Sockets per worker process: pid" in report

"""The shared cache's connections to Redis, as an operator watching Redis sees them.

Under ASGI Django runs each request's code in a thread of its own and makes a cache
object for it; each used to open its own connection pool, so the site opened a
connection to Redis for every page it served (and paid for the connect each time).
The process now keeps one pool per Redis server.
"""

import urllib.request

import pytest
import redis
from django.conf import settings

from community.core import bench
from tests.factories import make_idea

pytestmark = pytest.mark.django_db(transaction=True)


def connections_received() -> int:
    return redis.Redis.from_url(settings.REDIS_URL).info("stats")["total_connections_received"]


def get(url: str) -> int:
    with urllib.request.urlopen(url) as response:
        response.read()
        return response.status


def test_serving_many_pages_reuses_the_connections_to_redis(home):
    make_idea(title="A page served many times")

    with bench.serve("gunicorn", workers=1) as served:
        assert get(f"{served.url}/ideas/") == 200  # the worker's pool, opened once
        before = connections_received()
        for _ in range(30):
            assert get(f"{served.url}/ideas/") == 200
        opened = connections_received() - before

    # Reading the counter opens one connection itself.
    assert opened <= 3, f"{opened} new connections to Redis for 30 pages"

"""Error pages under ASGI give back their database connection (the pool ran dry).

Django renders the page for an exception (every 404) in a worker thread of its
own under ASGI; the header's queries took a pooled connection there that
nothing returned, one per such thread, until requests waited 10 s and failed.
"""

import time

import pytest
from asgiref.sync import async_to_sync
from django.db import connections
from django.test import AsyncClient

from tests.factories import UserFactory


def lent() -> int:
    stats = connections["default"].pool.get_stats()
    return stats["pool_size"] - stats["pool_available"]


@pytest.mark.django_db(transaction=True)
def test_a_404_under_asgi_returns_its_connection_to_the_pool():
    client = AsyncClient()
    client.force_login(UserFactory())  # the header reads the member's unread count
    before = lent()

    for path in ("/no-such-page/", "/ideas/999999/", "/static/no-such-file.css"):
        response = async_to_sync(client.get)(path)
        assert response.status_code == 404, path
        assert b"Page not found" in response.content or b"not found" in response.content.lower()

    deadline = time.monotonic() + 5
    while lent() > before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert lent() <= before, "an error page kept a pooled database connection"

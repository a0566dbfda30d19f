"""A Redis that accepts connections and never answers must not hang the site.

Pages keep answering and writes keep succeeding; the cache and the channel
layer give up quickly and say so in `/healthz`.
"""

import copy
import time

import pytest
from django.conf import settings
from django.test import override_settings
from voting.models import Vote

from tests.factories import UserFactory, make_idea

# A hang detector, not a performance target: without bounded calls each of
# these took 15 to 40 seconds.
HANG = 5.0


@pytest.fixture
def hung_redis(hung_server):
    """The suite's cache and channel layer configuration, pointed at a hung Redis."""
    url = f"redis://127.0.0.1:{hung_server.port}/0"
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["LOCATION"] = url
    layers = copy.deepcopy(settings.CHANNEL_LAYERS)
    for host in layers["default"]["CONFIG"]["hosts"]:
        host["address"] = url
    with override_settings(CACHES=caches, CHANNEL_LAYERS=layers, REDIS_URL=url):
        yield hung_server


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_pages_answer_while_redis_hangs(client, hung_redis, home):
    make_idea(title="A keyboard light that follows the room")
    for url in ["/", "/ideas/", "/ideas/?sort=new", "/search/?q=keyboard", "/accounts/login/"]:
        response, seconds = timed(lambda url=url: client.get(url))

        assert response.status_code == 200, url
        assert seconds < HANG, f"{url} took {seconds:.1f} s"
    assert hung_redis.accepted, "the test did not reach the hung Redis"


@pytest.mark.django_db(transaction=True)
def test_a_vote_is_saved_while_redis_hangs(client, hung_redis):
    idea = make_idea(title="Batteries you can swap in the field")
    voter = UserFactory()
    client.force_login(voter)

    response, seconds = timed(lambda: client.post(f"/ideas/{idea.pk}/vote/", {"value": "1"}))

    assert response.status_code == 302
    assert Vote.objects.filter(user=voter, object_id=str(idea.pk), vote=1).exists()
    assert seconds < HANG, f"the vote took {seconds:.1f} s"


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_hung_redis(client, hung_redis):
    response, seconds = timed(lambda: client.get("/healthz"))

    checks = response.json()["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["channel_layer"]["status"] == "down"
    assert checks["cache"]["status"] == "down"
    assert seconds < HANG

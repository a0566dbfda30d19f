"""An Elasticsearch that accepts connections and never answers.

Search answers from the database, idea pages and votes do not wait on it,
the breaker stops asking after repeated failures, `/healthz` says search is
degraded, and Wagtail's admin search degrades instead of answering 500.
"""

import time

import pytest
from django.conf import settings
from django.test import override_settings
from voting.models import Vote

from community.settings.base import wagtail_elasticsearch
from search.breaker import breaker
from tests.factories import UserFactory, make_idea

HANG = 5.0  # a hang detector: before the fix each of these took 5 to 20 s


@pytest.fixture
def hung_search(hung_server):
    url = f"http://127.0.0.1:{hung_server.port}"
    timeout = 1.0  # production's default is 2 s; the suite's own is longer
    backends = {"default": wagtail_elasticsearch(url, "test", timeout)}
    with override_settings(
        ELASTICSEARCH_URL=url, SEARCH_TIMEOUT=timeout, WAGTAILSEARCH_BACKENDS=backends
    ):
        yield hung_server


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_search_answers_from_the_database_and_the_breaker_opens(client, hung_search):
    make_idea(title="A keyboard light that follows the room")

    for _ in range(settings.SEARCH_BREAKER_FAILURES):
        response, seconds = timed(lambda: client.get("/search/?q=keyboard"))
        assert response.status_code == 200
        assert "light that follows the room" in response.content.decode()
        assert seconds < HANG

    assert breaker.is_open()
    health = client.get("/healthz").json()["checks"]["search"]
    assert health["status"] == "degraded"
    assert health["backend"] == "database"


@pytest.mark.django_db(transaction=True)
def test_idea_pages_and_votes_do_not_wait_for_search(client, hung_search):
    idea = make_idea(title="Batteries you can swap in the field")
    voter = UserFactory()
    client.force_login(voter)

    for _ in range(3):
        page, page_seconds = timed(lambda: client.get(idea.get_absolute_url()))
        assert page.status_code == 200
        assert page_seconds < HANG
    vote, vote_seconds = timed(lambda: client.post(f"/ideas/{idea.pk}/vote/", {"value": "1"}))

    assert vote.status_code == 302
    assert Vote.objects.filter(user=voter, object_id=str(idea.pk), vote=1).exists()
    assert vote_seconds < HANG


@pytest.mark.django_db(transaction=True)
def test_wagtail_admin_search_degrades_to_the_database(client, hung_search, home):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    for _ in range(settings.SEARCH_BREAKER_FAILURES + 1):
        response, seconds = timed(lambda: client.get("/admin/pages/search/", {"q": home.title}))
        assert response.status_code == 200
        assert seconds < HANG
    assert home.title in response.content.decode()

"""The database search: the embedded default, and the fallback when Elasticsearch is down."""

import sys
from pathlib import Path

import pytest

from ideas import services
from ideas.models import Idea
from search import api, indexing
from search.models import PendingIndexUpdate
from search.results import SearchRequest
from tests.factories import make_idea, staff_user

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import testenv  # noqa: E402

pytestmark = pytest.mark.django_db


def test_database_search_when_elasticsearch_is_not_configured(client, settings):
    settings.ELASTICSEARCH_URL = ""
    make_idea(title="Quieter fans under load", tags=["noise"])
    make_idea(title="Brighter screens")

    results = api.search_ideas(SearchRequest(query="quieter fans"))
    page = client.get("/search/", {"q": "quieter"}).content.decode()

    assert [h.title for h in results.hits] == ["Quieter fans under load"]
    assert results.backend == "database" and not results.degraded
    assert results.hits[0].title_html == "<mark>Quieter</mark> <mark>fans</mark> under load"
    assert "Search runs on the database here" in page
    assert {f.value: f.count for f in results.facets["tag"]} == {"noise": 1}


def test_database_search_escapes_what_it_marks(settings):
    settings.ELASTICSEARCH_URL = ""
    make_idea(title="Tags like <b>bold</b> in titles", body="<script>x</script> bold")

    hit = api.search_ideas(SearchRequest(query="bold")).hits[0]

    assert "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;" in hit.title_html


def test_similar_ideas_on_the_database(settings):
    settings.ELASTICSEARCH_URL = ""
    make_idea(title="Dark mode for the companion app")

    assert [h.title for h in api.similar_ideas("companion dark theme")] == [
        "Dark mode for the companion app"
    ]


def test_elasticsearch_stopped_mid_test_falls_back_and_loses_no_update(
    client, search_index, caplog, django_capture_on_commit_callbacks
):
    idea = make_idea(title="Searchable while the cluster is down")
    responder = staff_user()
    search_index()
    testenv.stop_service("elasticsearch")
    try:
        page = client.get("/search/", {"q": "cluster"})
        health = client.get("/healthz").json()
        with django_capture_on_commit_callbacks(execute=True):
            services.idea_status_change(
                actor=responder,
                idea_id=idea.pk,
                to_status="under_review",
                message="Checking",
            )
    finally:
        testenv.start_service("elasticsearch")

    assert page.status_code == 200
    assert page.context["results"].degraded
    assert [h.title for h in page.context["results"].hits] == [idea.title]
    assert "reduced mode" in page.content.decode()
    assert health["checks"]["search"]["status"] == "degraded"
    assert "Elasticsearch search failed" in caplog.text
    # The write succeeded and its index update waited in the outbox.
    idea.refresh_from_db()
    assert idea.status == "under_review"
    assert PendingIndexUpdate.objects.filter(idea_id=idea.pk).exists()

    indexing.sync_pending()
    indexing.get_client().indices.refresh(index=indexing.alias_name())
    results = api.search_ideas(SearchRequest(query="cluster", status="under_review"))
    assert [h.title for h in results.hits] == [idea.title]
    assert not PendingIndexUpdate.objects.exists()


@pytest.mark.parametrize("bounds", [{"created_to": "9999-12-31"}, {"created_from": "0001-01-01"}])
def test_extreme_dates_do_not_break_the_database_search(client, settings, bounds):
    settings.ELASTICSEARCH_URL = ""
    make_idea(title="An idea of any date")

    response = client.get("/search/", {"q": "idea", **bounds})

    assert response.status_code == 200
    assert response.context["results"].total == 1


def test_database_search_ranks_by_merit_not_ring_votes(settings):
    settings.ELASTICSEARCH_URL = ""
    brigaded = make_idea(title="Battery saver with a bigger logo")
    genuine = make_idea(title="Battery saver that learns the night")
    Idea.objects.filter(pk=brigaded.pk).update(promotes=51, score=51, ring_discount=50)
    Idea.objects.filter(pk=genuine.pk).update(promotes=31, score=31)

    for sort in ("relevance", "score"):
        hits = api.search_ideas(SearchRequest(query="battery saver", sort=sort)).hits
        assert [hit.title for hit in hits] == [genuine.title, brigaded.title], sort

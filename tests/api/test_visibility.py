"""Hidden, withdrawn and merged content never leaks through the API."""

import pytest
from django.utils import timezone

from community import roles
from ideas import services
from ideas.models import Comment, Idea
from tests.api.conftest import bearer
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas():
    author = UserFactory()
    shown = make_idea(author=author, title="A published idea everyone sees")
    hidden = make_idea(title="A hidden idea about zebras")
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden", moderation_reason="Off topic.")
    withdrawn = make_idea(title="A withdrawn idea about zebras")
    Idea.objects.filter(pk=withdrawn.pk).update(visibility="withdrawn")
    duplicate = make_idea(title="A duplicate idea about zebras")
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER), duplicate_id=duplicate.pk, into_id=shown.pk
    )
    return {"shown": shown, "hidden": hidden, "withdrawn": withdrawn, "duplicate": duplicate}


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


@pytest.mark.parametrize("sort", ["hot", "top", "new", "discussed", "active"])
def test_lists_show_customers_only_what_the_site_shows(api, ideas, sort):
    assert titles(api.call("get", f"/ideas?sort={sort}")) == {"A published idea everyone sees"}
    member = bearer(UserFactory(), "read")
    assert titles(api.call("get", f"/ideas?sort={sort}", headers=member)) == {
        "A published idea everyone sees"
    }
    staff = bearer(staff_user(), "read")
    assert len(titles(api.call("get", f"/ideas?sort={sort}", headers=staff))) == 4


def test_search_leaves_them_out(api, ideas, search_index):
    search_index()
    response = api.call("get", "/ideas?q=zebras")
    assert response.json()["search_backend"] == "elasticsearch"
    assert titles(response) == set()
    staff = bearer(staff_user(), "read")
    assert "A hidden idea about zebras" in titles(api.call("get", "/ideas?q=zebras", headers=staff))


def test_detail_of_hidden_and_withdrawn_is_404_for_others(api, ideas):
    for name in ("hidden", "withdrawn"):
        assert api.call("get", f"/ideas/{ideas[name].pk}").status_code == 404
        assert api.call("get", f"/ideas/{ideas[name].pk}/comments").status_code == 404
        member = bearer(UserFactory())
        vote = api.call("put", f"/ideas/{ideas[name].pk}/vote", {"value": 1}, headers=member)
        assert vote.status_code == 404
        comment = api.call("post", f"/ideas/{ideas[name].pk}/comments", {"body": "Hello?"},
                           headers=member)  # fmt: skip
        assert comment.status_code == 404
        official = api.call("post", f"/ideas/{ideas[name].pk}/official-responses",
                            {"body": "Hi"}, headers=member)  # fmt: skip
        assert official.status_code == 403  # the scope is refused before any lookup
    assert not Comment.objects.filter(idea__in=[ideas["hidden"], ideas["withdrawn"]]).exists()


def test_the_author_of_a_hidden_idea_sees_it_with_the_reason(api, ideas):
    author = bearer(ideas["hidden"].author, "read")
    own = api.call("get", f"/ideas/{ideas['hidden'].pk}", headers=author).json()
    assert own["hidden_reason"] == "Off topic."
    staff = bearer(staff_user(), "read")
    assert api.call("get", f"/ideas/{ideas['hidden'].pk}", headers=staff).status_code == 200


def test_a_merged_idea_points_at_the_survivor_and_takes_no_part(api, ideas):
    duplicate = api.call("get", f"/ideas/{ideas['duplicate'].pk}").json()
    assert (duplicate["status"], duplicate["merged_into_id"]) == ("duplicate", ideas["shown"].pk)
    vote = api.call("put", f"/ideas/{ideas['duplicate'].pk}/vote", {"value": -1},
                    headers=bearer(UserFactory()))  # fmt: skip
    assert vote.status_code == 409
    assert "merged" in vote.json()["error"]["message"]


def test_hidden_and_removed_comments_keep_their_place_without_text(api, ideas):
    idea = ideas["shown"]
    author = UserFactory()
    hidden = services.comment_create(author=author, idea_id=idea.pk, body="Secret rude words")
    removed = services.comment_create(author=author, idea_id=idea.pk, body="Taken back words")
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Rude.")
    Comment.objects.filter(pk=removed.pk).update(deleted_at=timezone.now())

    response = api.call("get", f"/ideas/{idea.pk}/comments")
    assert b"Secret rude words" not in response.content
    assert b"Taken back words" not in response.content
    states = [(c["state"], c["body"]) for c in response.json()["items"]]
    assert states == [("hidden", None), ("removed", None)]

    own = api.call("get", f"/ideas/{idea.pk}/comments", headers=bearer(author, "read")).json()
    assert own["items"][0]["hidden_reason"] == "Rude."
    staff = api.call("get", f"/ideas/{idea.pk}/comments", headers=bearer(staff_user(), "read"))
    assert staff.json()["items"][0]["body"] == "Secret rude words"
    assert b"Taken back words" not in staff.content


def test_tags_of_hidden_ideas_are_not_listed(api):
    hidden = make_idea(title="A hidden idea with a secret tag", tags=["secret-project"])
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")
    make_idea(title="A public idea with a public tag", tags=["public"])
    assert [t["slug"] for t in api.call("get", "/tags").json()] == ["public"]


def test_profiles_list_only_published_ideas(api, ideas):
    author = ideas["hidden"].author
    profile = api.call("get", f"/members/{author.username}").json()
    assert profile["ideas"] == []

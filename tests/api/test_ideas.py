"""Ideas, votes and comments through the API: the site's services, the site's rules."""

import pytest
from django.utils import timezone

from ideas.models import Comment, Idea
from tests.api.conftest import bearer
from tests.factories import CategoryFactory, UserFactory, make_idea

pytestmark = pytest.mark.django_db


def test_the_list_pages_by_cursor_and_inserts_do_not_shift_a_page(api):
    area = CategoryFactory()
    for n in range(5):
        make_idea(category=area, title=f"An idea for the cursor {n}")

    first = api.call("get", "/ideas?sort=new&limit=2")
    assert first.status_code == 200, first.content
    page = first.json()
    assert [i["title"] for i in page["items"]] == [
        "An idea for the cursor 4",
        "An idea for the cursor 3",
    ]
    make_idea(category=area, title="A newer idea posted meanwhile")  # lands before the cursor
    second = api.call("get", f"/ideas?sort=new&limit=2&cursor={page['next_cursor']}").json()
    assert [i["title"] for i in second["items"]] == [
        "An idea for the cursor 2",
        "An idea for the cursor 1",
    ]
    third = api.call("get", f"/ideas?sort=new&limit=2&cursor={second['next_cursor']}").json()
    assert [i["title"] for i in third["items"]] == ["An idea for the cursor 0"]
    assert third["next_cursor"] is None


def test_filters_are_the_sites(api):
    area, other = CategoryFactory(), CategoryFactory()
    make_idea(category=area, title="An idea in the first area", tags=["mobile"])
    make_idea(category=other, title="An idea in the other area")
    by_area = api.call("get", f"/ideas?product_area={area.slug}").json()["items"]
    assert [i["title"] for i in by_area] == ["An idea in the first area"]
    by_tag = api.call("get", "/ideas?tag=mobile").json()["items"]
    assert [i["tags"] for i in by_tag] == [["mobile"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=loudest", "sort"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
        ("status=nonsense", "status"),
        ("product_area=no-such-area", None),
        ("cursor=%%%", None),
        ("cursor=eyJvIjoidG9wIn0", None),  # a cursor of another order
        ("storm_session=999999", None),
    ],
)
def test_bad_list_input_is_a_clear_400(api, query, field):
    response = api.call("get", f"/ideas?{query}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"]
    if field:
        assert field in error["fields"]


def test_detail_has_an_etag_and_answers_304_until_it_changes(api):
    idea = make_idea(title="An idea with an entity tag")
    first = api.call("get", f"/ideas/{idea.pk}")
    assert first.status_code == 200
    etag = first["ETag"]
    assert first.json()["title"] == "An idea with an entity tag"
    again = api.call("get", f"/ideas/{idea.pk}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""

    voter = UserFactory()
    api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=bearer(voter))
    changed = api.call("get", f"/ideas/{idea.pk}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["promotes"] == 2


def test_unknown_idea_is_a_404_with_the_error_body(api):
    response = api.call("get", "/ideas/987654")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_post_edit_and_withdraw_an_idea(api):
    author, area = UserFactory(), CategoryFactory()
    headers = bearer(author)
    created = api.call(
        "post",
        "/ideas",
        {"title": "Let me export my data", "body": "As CSV.", "product_area_id": area.pk},
        headers=headers,
    )
    assert created.status_code == 201, created.content
    idea = created.json()
    assert idea["promotes"] == 1 and idea["your_vote"] == 1
    again = api.call(
        "post",
        "/ideas",
        {"title": "Let me export my data", "body": "As CSV.", "product_area_id": area.pk},
        headers=headers,
    )
    assert again.json()["id"] == idea["id"]  # a retried post returns the first
    edited = api.call(
        "patch", f"/ideas/{idea['id']}", {"title": "Let me export all my data"}, headers=headers
    )
    assert edited.status_code == 200 and edited.json()["title"] == "Let me export all my data"

    stranger = api.call("patch", f"/ideas/{idea['id']}", {"title": "Not my idea at all"},
                        headers=bearer(UserFactory()))  # fmt: skip
    assert stranger.status_code == 403

    withdrawn = api.call("post", f"/ideas/{idea['id']}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["visibility"] == "withdrawn"
    assert api.call("get", f"/ideas/{idea['id']}").status_code == 404


def test_edit_window_closes_as_on_the_site(api, settings):
    author = UserFactory()
    idea = make_idea(author=author, title="An idea past its edit window")
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    response = api.call("patch", f"/ideas/{idea.pk}", {"title": "A new title that is late"},
                        headers=bearer(author))  # fmt: skip
    assert response.status_code == 403
    assert "short while" in response.json()["error"]["message"]


def test_bad_create_input_names_the_fields(api):
    response = api.call("post", "/ideas", {"title": "short"}, headers=bearer(UserFactory()))
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert {"title", "body", "product_area_id"} <= set(fields)
    not_json = api.post(
        "/api/v1/ideas", data="{not json", content_type="application/json",
        headers=bearer(UserFactory()),
    )  # fmt: skip
    assert not_json.status_code == 400


def test_vote_cast_change_and_withdraw(api):
    idea = make_idea(title="An idea to vote on through the API")
    headers = bearer(UserFactory())
    cast = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=headers).json()
    assert cast == {**cast, "value": 1, "changed": True, "promotes": 2}
    changed = api.call("put", f"/ideas/{idea.pk}/vote", {"value": -1}, headers=headers).json()
    assert (changed["promotes"], changed["demotes"]) == (1, 1)
    withdrawn = api.call("delete", f"/ideas/{idea.pk}/vote", headers=headers).json()
    assert (withdrawn["value"], withdrawn["score"]) == (0, 1)
    bad = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 5}, headers=headers)
    assert bad.status_code == 400 and "value" in bad.json()["error"]["fields"]


def test_suspended_and_unverified_members_are_refused_as_on_the_site(api):
    from community.models import Suspension

    idea = make_idea(title="An idea a suspended member tries")
    member = UserFactory()
    Suspension.objects.create(
        member=member, actor=UserFactory(), reason="Abuse.", created_at=timezone.now()
    )
    response = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=bearer(member))
    assert response.status_code == 403 and "suspended" in response.json()["error"]["message"]
    unverified = UserFactory(verified=False)
    response = api.call("put", f"/ideas/{idea.pk}/vote", {"value": 1}, headers=bearer(unverified))
    assert response.status_code == 403
    assert Idea.objects.get(pk=idea.pk).promotes == 1


def test_comment_reply_and_list(api):
    idea = make_idea(title="An idea to discuss through the API")
    headers = bearer(UserFactory())
    top = api.call("post", f"/ideas/{idea.pk}/comments", {"body": "Yes please."}, headers=headers)
    assert top.status_code == 201, top.content
    reply = api.call(
        "post", f"/ideas/{idea.pk}/comments",
        {"body": "Agreed.", "parent_id": top.json()["id"]}, headers=headers,
    )  # fmt: skip
    assert reply.status_code == 201
    threads = api.call("get", f"/ideas/{idea.pk}/comments").json()["items"]
    assert [t["body"] for t in threads] == ["Yes please."]
    assert [r["body"] for r in threads[0]["replies"]] == ["Agreed."]
    assert Comment.objects.filter(idea=idea).count() == 2


def test_comment_rate_limit_is_the_sites(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (2, 2)}
    idea = make_idea(title="An idea a chatty member comments on")
    headers = bearer(UserFactory())
    for n in range(2):
        ok = api.call("post", f"/ideas/{idea.pk}/comments", {"body": f"Comment {n}"},
                      headers=headers)  # fmt: skip
        assert ok.status_code == 201
    refused = api.call("post", f"/ideas/{idea.pk}/comments", {"body": "One too many"},
                       headers=headers)  # fmt: skip
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"


def test_catalog_and_figures(api):
    area = CategoryFactory(name="Laptops", slug="laptops")
    make_idea(category=area, title="An idea about laptops", tags=["battery"])
    assert {"slug": "laptops"}.items() <= api.call("get", "/product-areas").json()[0].items()
    assert api.call("get", "/tags").json() == [{"slug": "battery", "name": "battery", "ideas": 1}]
    figures = api.call("get", "/figures").json()
    assert figures["submitted"] == 1
    assert api.call("get", "/storm-sessions").status_code == 200


def test_member_profile_and_me(api):
    member = UserFactory(username="ada", display_name="Ada")
    make_idea(author=member, title="Ada's idea about engines")
    profile = api.call("get", "/members/ada").json()
    assert profile["name"] == "Ada" and [i["title"] for i in profile["ideas"]] == [
        "Ada's idea about engines"
    ]
    assert api.call("get", "/members/nobody-here").status_code == 404
    me = api.call("get", "/me", headers=bearer(member, "read")).json()
    assert (me["username"], me["scope"]) == ("ada", "read")
    assert api.call("get", "/me").status_code == 401

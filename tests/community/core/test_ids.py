"""Ids and page numbers from outside are bounded before any query (issue #13, item 14).

A number beyond the column's range made the driver raise (OverflowError on
SQLite) and the page answer 500; now it is a clear 4xx everywhere.
"""

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import resolve

from community import roles
from community.core.ids import id_max, parse_id, parse_page
from ideas.forms import CommentForm, IdeaForm
from ideas.models import Idea
from ideas.triage.forms import BulkForm, InboxFilterForm, MergeForm
from search.forms import SearchForm
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
JUST_OVER = str(2**63)


def test_parse_id_and_parse_page_accept_only_numbers_in_range():
    assert parse_id("42") == 42
    assert parse_id(str(id_max(Idea))) == id_max(Idea)
    for bad in (HUGE, JUST_OVER, "0", "-1", "1e5", "４２", "", None, "12abc"):
        assert parse_id(bad) is None, bad
    assert parse_page(None) == parse_page("") == 1
    for bad in ("abc", "0", HUGE, "-3"):
        assert parse_page(bad) is None, bad


@pytest.mark.parametrize("value", [HUGE, JUST_OVER])
def test_every_form_refuses_ids_beyond_the_database(value):
    assert not MergeForm({"into": value}).is_valid()
    assert not MergeForm({"into": f"/ideas/{value}-title/"}).is_valid()
    bulk = BulkForm(QueryDict(f"ideas=1&ideas={value}&status="))
    assert not bulk.is_valid()
    assert "not an idea" in str(bulk.errors)
    assert not InboxFilterForm({"session": value}).is_valid()
    assert not SearchForm({"q": "x", "session": value}).is_valid()
    assert not CommentForm({"body": "Hello", "parent": value}).is_valid()
    assert not IdeaForm({"title": "A long enough title", "body": "b", "category": value}).is_valid()


def test_pages_answer_4xx_for_huge_ids_and_bad_page_numbers():
    staff = Client()
    staff.force_login(staff_user(roles.ADMINISTRATOR))
    member = Client()
    member.force_login(UserFactory())
    idea = make_idea()

    cases = [
        (staff, "get", "/staff/", {"page": "abc"}),
        (staff, "get", "/staff/", {"page": HUGE}),
        (staff, "get", "/staff/", {"session": HUGE}),
        (staff, "get", "/staff/moderation/", {"page": "abc"}),
        (staff, "get", "/staff/audit/", {"page": HUGE}),
        (staff, "post", f"/staff/ideas/{idea.pk}/merge/", {"into": HUGE}),
        (staff, "post", "/staff/bulk/", {"ideas": [HUGE], "status": ""}),
        (member, "get", "/ideas/new/", {"session": HUGE}),
        (member, "post", "/ideas/new/", {"session": JUST_OVER, "title": "x"}),
        (member, "get", "/ideas/shipped/", {"page": "abc"}),
        (member, "get", "/ideas/", {"page": HUGE}),
        (member, "get", "/ideas/", {"category": HUGE}),
        (member, "get", "/search/", {"q": "fan", "session": HUGE}),
        (member, "post", f"/ideas/{idea.pk}/comments/", {"body": "Hi", "parent": HUGE}),
    ]
    for client, method, url, data in cases:
        response = getattr(client, method)(url, data)
        assert 400 <= response.status_code < 500, (url, data, response.status_code)

    events = member.get(f"/ideas/{idea.pk}/events/", {"after": HUGE})
    assert events.status_code == 200 and events.json()["events"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/ideas/{}/",
        "/ideas/{}-a-title/",
        "/ideas/{}/vote/",
        "/staff/ideas/{}/",
        "/notifications/{}/",
    ],
)
def test_an_id_in_a_path_beyond_the_database_matches_no_page(path):
    view = resolve(path.format(42))
    assert view.kwargs["pk"] == 42
    for value in (HUGE, JUST_OVER, "0"):
        # Only Wagtail's page tree (which matches every path, then answers 404) is left.
        assert resolve(path.format(value)).url_name != view.url_name, value

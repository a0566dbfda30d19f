"""Control and invisible characters in member text: cleaned on the way in, never a 500."""

import pytest

from community.core.exceptions import InvalidInput
from ideas.models import Idea
from ideas.services.comments import comment_create
from tests.factories import UserFactory, make_idea

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/ideas/rss/", "/feeds/ideas/atom/"]


def test_a_control_character_in_a_title_is_removed_and_the_feeds_answer(client):
    idea = make_idea(title="Ring the bell\x07 when the build ends")

    assert idea.title == "Ring the bell when the build ends"
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Ring the bell when the build ends" in response.content.decode()


def test_the_feeds_survive_a_bad_title_stored_before_the_fix(client):
    idea = make_idea(title="An idea stored long ago")
    Idea.objects.filter(pk=idea.pk).update(title="Stored\x07 with a bell\x1b[31m")

    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Stored with a bell[31m" in response.content.decode()


def test_a_title_of_zero_width_spaces_is_refused():
    with pytest.raises(InvalidInput, match="title has no visible characters"):
        make_idea(title="\u200b" * 12)


def test_invisible_characters_do_not_count_towards_the_title_length():
    with pytest.raises(InvalidInput, match="10 to 140 characters"):
        make_idea(title="Short\u200b\u200b\u200b\u200b\u200b\u2060\ufeff")


def test_bidi_overrides_are_removed_from_titles():
    idea = make_idea(title="Refund \u202eredro ruoy\u202c in one click")

    assert "\u202e" not in idea.title and "\u202c" not in idea.title
    assert idea.title == "Refund redro ruoy in one click"


def test_control_characters_are_removed_from_bodies_and_comments():
    idea = make_idea(body="Line one\x00\x08\r\nLine two\ttabbed")
    comment = comment_create(author=UserFactory(), idea_id=idea.pk, body="Agreed\x07\x1b!")

    assert idea.body == "Line one\nLine two\ttabbed"
    assert comment.body == "Agreed!"


def test_a_form_post_with_an_invisible_title_gets_a_clear_message(client):
    client.force_login(UserFactory())
    make_idea()  # a product area to choose
    from ideas.models import Category

    response = client.post(
        "/ideas/new/",
        {"title": "\u200b" * 12, "body": "Because.", "category": Category.objects.first().pk},
    )

    assert response.status_code in (200, 400)
    assert "title has no visible characters" in response.content.decode()

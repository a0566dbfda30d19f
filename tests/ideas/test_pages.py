"""The idea pages as a customer meets them: listings, detail, forms and bad input."""

import html
import re

import pytest
from django.test import override_settings
from django.urls import reverse

from ideas import services
from ideas.models import Idea
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client():
    """A signed-in member's browser, separate from the anonymous `client`."""
    from django.test import Client

    member_browser = Client()
    member_browser.member = UserFactory()
    member_browser.force_login(member_browser.member)
    return member_browser


CARD_TITLE = re.compile(r'class="idea-card__title"[^>]*><a href="[^"]*">(.*?)</a>')


def titles(response) -> list[str]:
    """The ideas' titles as the page shows them (a copy from the page cache has no context)."""
    return [html.unescape(title) for title in CARD_TITLE.findall(response.content.decode())]


def test_list_sorts(client):
    quiet = make_idea(title="A quiet but recent idea")
    loud = make_idea(title="A loud and popular idea")
    for _ in range(5):
        services.vote_cast(voter=UserFactory(), idea_id=loud.pk, value=1)
    services.comment_create(author=UserFactory(), idea_id=quiet.pk, body="Nice")

    assert titles(client.get("/ideas/?sort=top"))[:2] == [loud.title, quiet.title]
    assert titles(client.get("/ideas/?sort=new"))[:2] == [loud.title, quiet.title]
    assert titles(client.get("/ideas/?sort=discussed"))[0] == quiet.title
    assert titles(client.get("/ideas/?sort=active"))[0] == quiet.title
    assert titles(client.get("/ideas/?sort=hot"))[0] == loud.title


def test_top_by_period_leaves_out_older_ideas(client):
    from datetime import timedelta

    from django.utils import timezone

    old = make_idea(title="An idea from last year", now=timezone.now() - timedelta(days=200))
    recent = make_idea(title="An idea from this week")

    assert titles(client.get("/ideas/?sort=top&period=week")) == [recent.title]
    assert set(titles(client.get("/ideas/?sort=top&period=all"))) == {old.title, recent.title}


def test_filters_by_category_status_and_tag(client):
    laptops = CategoryFactory(name="Laptops", slug="laptops")
    battery = make_idea(title="Longer battery life please", category=laptops, tags=["battery"])
    other = make_idea(title="Something else entirely")
    services.idea_status_change(
        actor=staff_user(), idea_id=other.pk, to_status="under_review", message="Looking."
    )

    assert titles(client.get("/ideas/?category=laptops")) == [battery.title]
    assert titles(client.get("/ideas/?tag=battery")) == [battery.title]
    assert titles(client.get("/ideas/?status=under_review")) == [other.title]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("sort=loudest", 400, "Select a valid choice"),
        ("period=decade&sort=top", 400, "Select a valid choice"),
        ("page=0", 400, "greater than or equal to 1"),
        ("page=abc", 400, "Enter a whole number"),
        ("category=nope", 400, "There is no product area called"),
        ("page=99", 404, "past the end of the list"),
    ],
)
def test_bad_list_parameters_get_a_clear_error(client, query, status, message):
    make_idea()

    response = client.get(f"/ideas/?{query}")

    assert response.status_code == status
    assert message in response.content.decode()


def test_pagination(client, settings):
    settings.IDEAS_PER_PAGE = 2
    category = CategoryFactory()
    for n in range(5):
        make_idea(title=f"Paginated idea number {n}", category=category)

    page3 = client.get("/ideas/?sort=new&page=3")

    assert titles(page3) == ["Paginated idea number 0"]
    assert "Page 3 of 3" in page3.content.decode()


def test_list_query_count_does_not_grow_with_ideas(
    client, member_client, django_assert_max_num_queries
):
    for n in range(30):
        make_idea(title=f"Idea for counting queries {n}", tags=["alpha", "beta"])

    # count, product areas, ideas, their tags, header and footer menus, and the
    # status labels and when a Storm Session next opens or closes (for the page
    # cache; both cached: read once while the cache is cold); signed in adds
    # the session, the member, their groups and the unread count.
    with django_assert_max_num_queries(8):
        anonymous = client.get("/ideas/")
    with django_assert_max_num_queries(10):
        signed_in = member_client.get("/ideas/")

    assert anonymous.status_code == signed_in.status_code == 200
    assert len(anonymous.context["ideas"]) == 20


def test_detail_query_count_does_not_grow_with_comments(
    member_client, django_assert_max_num_queries
):
    idea = make_idea(tags=["alpha"])
    staff = staff_user()
    for n in range(10):
        top = services.comment_create(author=UserFactory(), idea_id=idea.pk, body=f"Comment {n}")
        services.comment_create(
            author=UserFactory(), idea_id=idea.pk, body="Reply", parent_id=top.pk
        )
    services.comment_create(author=staff, idea_id=idea.pk, body="We hear you", official=True)
    services.idea_status_change(actor=staff, idea_id=idea.pk, to_status="planned", message="Yes")

    # A fixed number whatever the thread's length; one of them asks whether
    # the member is suspended (they may read, but not take part). Drawn for them
    # alone, as for the idea's author (not from the visitors' shared copy).
    with override_settings(PAGE_CACHE_SECONDS=0), django_assert_max_num_queries(17):
        response = member_client.get(idea.get_absolute_url())

    assert response.status_code == 200
    assert response.content.decode().count('class="comment') >= 21


def test_detail_shows_official_response_and_status_timeline(client):
    idea = make_idea()
    staff = staff_user(display_name="Sam Patel")
    services.comment_create(author=staff, idea_id=idea.pk, body="We are on it", official=True)
    services.idea_status_change(
        actor=staff, idea_id=idea.pk, to_status="under_review", message="Reviewing with the team"
    )

    page = client.get(idea.get_absolute_url()).content.decode()

    assert "Official response" in page and "We are on it" in page
    assert "Sam Patel</strong>, Staff responder" in page
    assert "Reviewing with the team" in page


def test_old_slug_and_bare_id_redirect_to_the_canonical_url(client):
    idea = make_idea(title="The first title of this idea")
    services.idea_update(
        editor=idea.author,
        idea_id=idea.pk,
        title="The second title of this idea",
        body="b",
        category=idea.category,
    )

    old = client.get(f"/ideas/{idea.pk}-the-first-title-of-this-idea/")
    bare = client.get(f"/ideas/{idea.pk}/")

    assert old.status_code == bare.status_code == 301
    assert old["Location"] == bare["Location"] == f"/ideas/{idea.pk}-the-second-title-of-this-idea/"


def test_submit_an_idea_through_the_form(member_client):
    category = CategoryFactory(name="Monitors")

    response = member_client.post(
        "/ideas/new/",
        {
            "title": "Matte screens on every model",
            "body": "Glare hurts.",
            "category": category.pk,
            "tags": "display, glare",
        },
    )

    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.author == member_client.member
    assert sorted(idea.tags.names()) == ["display", "glare"]


def test_bad_idea_form_shows_errors_and_creates_nothing(member_client):
    response = member_client.post("/ideas/new/", {"title": "Short", "body": "", "category": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value has at least 10 characters" in page
    assert "This field is required" in page
    assert not Idea.objects.exists()


def test_anonymous_vote_leads_to_sign_in_and_back(client):
    idea = make_idea()

    response = client.post(reverse("ideas:vote", args=[idea.pk]), {"value": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={idea.get_absolute_url()}"
    idea.refresh_from_db()
    assert idea.score == 1


def test_vote_with_htmx_returns_the_updated_widget(member_client):
    idea = make_idea()

    response = member_client.post(
        reverse("ideas:vote", args=[idea.pk]), {"value": "1"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'aria-pressed="true"' in body and ">2" in body.replace("\n", "").replace(" ", "")


@pytest.mark.parametrize("value", ["2", "abc", ""])
def test_bad_vote_values_are_refused(member_client, value):
    idea = make_idea()

    response = member_client.post(reverse("ideas:vote", args=[idea.pk]), {"value": value})

    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.score == 1


def test_vote_on_a_missing_idea_is_a_clear_404(member_client):
    response = member_client.post(reverse("ideas:vote", args=[424242]), {"value": "1"})

    assert response.status_code == 404
    assert "does not exist" in response.content.decode()


def test_post_without_csrf_token_is_refused():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    member = UserFactory()
    strict.force_login(member)
    idea = make_idea()

    response = strict.post(reverse("ideas:vote", args=[idea.pk]), {"value": "1"})

    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    idea.refresh_from_db()
    assert idea.score == 1


def test_editing_another_members_idea_by_url_is_refused(member_client):
    idea = make_idea(title="Somebody else's idea here")

    get = member_client.get(reverse("ideas:edit", args=[idea.pk]))
    post = member_client.post(
        reverse("ideas:edit", args=[idea.pk]),
        {"title": "Hijacked title for sure", "body": "x", "category": idea.category.pk},
    )

    assert get.status_code == post.status_code == 403
    idea.refresh_from_db()
    assert idea.title == "Somebody else's idea here"


def test_status_change_by_a_customer_through_the_url_is_refused(member_client):
    idea = make_idea()

    response = member_client.post(
        reverse("ideas:status", args=[idea.pk]), {"status": "planned", "message": "pls"}
    )

    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.status == "new"


def test_hidden_and_withdrawn_ideas_are_invisible_to_customers(client, member_client):
    author = UserFactory(username="visible_author")
    shown = make_idea(title="An idea everyone can see", author=author)
    hidden = make_idea(title="A hidden idea nobody sees", author=author)
    withdrawn = make_idea(title="A withdrawn idea, gone now", author=author)
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")
    services.idea_withdraw(author=author, idea_id=withdrawn.pk)

    for viewer in (client, member_client):
        assert titles(viewer.get("/ideas/")) == [shown.title]
        assert viewer.get(hidden.get_absolute_url()).status_code == 404
        assert viewer.get(f"/ideas/{withdrawn.pk}/").status_code == 404
        profile = viewer.get("/members/visible_author/")
        assert [i.title for i in profile.context["ideas"]] == [shown.title]
        assert profile.context["points"] == 1

    staff = client
    staff.force_login(staff_user())
    assert staff.get(hidden.get_absolute_url()).status_code == 200


def test_shipped_page_lists_shipped_ideas_newest_first(client):
    staff = staff_user()
    first, second, _not_shipped = (make_idea(title=f"Idea that may ship {n}") for n in range(3))
    for idea in (first, second):
        for status in ["under_review", "planned", "in_progress", "shipped"]:
            services.idea_status_change(
                actor=staff, idea_id=idea.pk, to_status=status, message="Go"
            )

    assert titles(client.get("/ideas/shipped/")) == [second.title, first.title]


def test_comment_form_errors_are_shown(member_client):
    idea = make_idea()

    response = member_client.post(reverse("ideas:comment", args=[idea.pk]), {"body": ""})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_follow_and_unfollow(member_client):
    idea = make_idea()

    member_client.post(reverse("ideas:follow", args=[idea.pk]), {"following": "1"})
    assert idea.follows.filter(user=member_client.member).exists()
    member_client.post(reverse("ideas:follow", args=[idea.pk]), {"following": "0"})
    assert not idea.follows.filter(user=member_client.member).exists()


def test_anonymous_vote_on_a_hidden_idea_reveals_nothing(client):
    idea = make_idea(title="A secret idea title here")
    Idea.objects.filter(pk=idea.pk).update(visibility="hidden")

    response = client.post(reverse("ideas:vote", args=[idea.pk]), {"value": "1"})

    assert response.status_code == 404
    assert "secret" not in response.get("Location", "") + response.content.decode()


@pytest.mark.parametrize("session", ["²", "abc", "-1", "99999"])
def test_odd_storm_session_ids_get_a_clear_error(member_client, session):
    response = member_client.get("/ideas/new/", {"session": session})

    assert response.status_code == 400
    assert "That Storm Session does not exist." in response.content.decode()

"""The public roadmap: its columns, the product area filter, cards, and the feed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from community import roles
from ideas import services
from ideas.models import Idea
from ideas.roadmap import selectors
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

PATHS = {
    "under_review": ["under_review"],
    "planned": ["planned"],
    "in_progress": ["planned", "in_progress"],
    "shipped": ["planned", "in_progress", "shipped"],
    "not_planned": ["not_planned"],
}


@pytest.fixture
def pm():
    return staff_user(roles.PRODUCT_MANAGER)


def move(idea, pm, where, *, message="Here is where this stands.", now=None):
    for status in PATHS[where]:
        services.idea_status_change(
            actor=pm, idea_id=idea.pk, to_status=status, message=f"{message} ({status})", now=now
        )
    return idea


def titles(column):
    return [idea.title for idea in column.ideas]


def test_columns_hold_their_statuses_and_shipped_only_for_90_days(pm):
    area = CategoryFactory()
    review = move(make_idea(title="Review this idea please", category=area), pm, "under_review")
    planned = move(make_idea(title="A planned idea for sure", category=area), pm, "planned")
    building = move(make_idea(title="An idea being built now", category=area), pm, "in_progress")
    shipped = move(make_idea(title="A freshly shipped idea", category=area), pm, "shipped")
    old = move(make_idea(title="An idea shipped long ago", category=area), pm, "shipped")
    Idea.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - timedelta(days=91))
    move(make_idea(title="An idea we will not do", category=area), pm, "not_planned")
    make_idea(title="A brand new idea here", category=area)

    board = selectors.roadmap(now=timezone.now(), viewer=AnonymousUser())

    columns = {column.key: column for column in board.columns}
    assert list(columns) == ["under_review", "planned", "in_progress", "shipped"]
    assert titles(columns["under_review"]) == [review.title]
    assert titles(columns["planned"]) == [planned.title]
    assert titles(columns["in_progress"]) == [building.title]
    assert titles(columns["shipped"]) == [shipped.title]
    assert columns["shipped"].ideas[0].latest_message == "Here is where this stands. (shipped)"


def test_cards_are_ordered_by_supporters(pm):
    quiet = move(make_idea(title="A quiet planned idea"), pm, "planned")
    loud = move(make_idea(title="A popular planned idea"), pm, "planned")
    for _ in range(3):
        services.vote_cast(voter=UserFactory(), idea_id=loud.pk, value=1)
    column = selectors.roadmap(now=timezone.now(), viewer=AnonymousUser()).columns[1]
    assert titles(column) == [loud.title, quiet.title]


def test_the_page_filters_by_product_area(client, pm):
    laptops, phones = CategoryFactory(name="Laptops"), CategoryFactory(name="Phones")
    move(make_idea(title="Laptop hinge that lasts", category=laptops), pm, "planned")
    move(make_idea(title="Phone case that grips", category=phones), pm, "planned")

    everything = client.get(reverse("roadmap:board")).content.decode()
    only_phones = client.get(reverse("roadmap:board"), {"area": phones.slug}).content.decode()

    assert "Laptop hinge that lasts" in everything and "Phone case that grips" in everything
    assert "Phone case that grips" in only_phones and "Laptop hinge that lasts" not in only_phones
    unknown = client.get(reverse("roadmap:board"), {"area": "no-such-area"})
    assert unknown.status_code == 400
    assert "There is no product area with that name." in unknown.content.decode()


def test_hidden_ideas_stay_off_the_roadmap(client, pm):
    idea = move(make_idea(title="Hidden planned idea"), pm, "planned")
    Idea.objects.filter(pk=idea.pk).update(visibility="hidden")
    assert "Hidden planned idea" not in client.get(reverse("roadmap:board")).content.decode()


def test_the_roadmap_reads_few_queries(client, pm, django_assert_max_num_queries):
    for i in range(6):
        move(make_idea(title=f"Planned idea number {i}"), pm, "shipped" if i % 2 else "planned")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("roadmap:board")).status_code == 200


def test_the_feed_lists_status_changes_without_control_characters(client, pm):
    idea = make_idea(title="A feed worthy idea here")
    move(idea, pm, "planned", message="Planned\x07 for\x1b spring\x7f")
    for name in ("roadmap:feed_atom", "roadmap:feed_rss"):
        response = client.get(reverse(name))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Planned for spring (planned)" in body
        assert "A feed worthy idea here: planned" in body
        assert "\x07" not in body and "\x1b" not in body
    assert client.get(reverse("roadmap:feed_atom"), {"area": "nope"}).status_code == 404


def test_every_page_links_the_roadmap_feed_once_and_the_board_its_area(client, pm):
    area = CategoryFactory(slug="batteries")
    feed = reverse("roadmap:feed_atom")
    home = client.get("/ideas/").content.decode()
    board = client.get(reverse("roadmap:board"), {"area": area.slug}).content.decode()

    assert home.count('title="Roadmap status changes"') == 1 and f'href="{feed}"' in home
    assert board.count('title="Roadmap status changes"') == 1
    assert f'href="{feed}?area=batteries"' in board


def test_the_shared_board_shows_a_status_change_or_a_hidden_idea_at_once(
    client, pm, django_capture_on_commit_callbacks
):
    """The board is cached whole for seconds; what changes its columns starts anew."""
    from community.moderation.services import idea_hide

    idea = move(make_idea(title="Quieter keyboard"), pm, "under_review")
    board = lambda: client.get(reverse("roadmap:board")).content.decode()  # noqa: E731
    first = board()
    assert "Quieter keyboard" in first.split('data-column="planned"')[0]  # under review

    with django_capture_on_commit_callbacks(execute=True):
        move(idea, pm, "planned")
    planned = board().split('data-column="planned"')[1].split('data-column="in_progress"')[0]
    assert "Quieter keyboard" in planned

    moderator = staff_user(roles.COMMUNITY_MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        idea_hide(actor=moderator, idea_id=idea.pk, reason="Off topic.")
    assert "Quieter keyboard" not in board()


def test_a_cached_board_is_shared_only_with_readers_who_see_the_same(client, pm):
    move(make_idea(title="Offline maps"), pm, "planned")
    english = client.get(reverse("roadmap:board")).content.decode()
    german = client.get(reverse("roadmap:board"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Under review" in english and "In Prüfung" in german
    staff = client
    staff.force_login(pm)
    assert "Offline maps" in staff.get(reverse("roadmap:board")).content.decode()

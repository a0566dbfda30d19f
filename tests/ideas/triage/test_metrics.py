"""Response-target figures and the overdue board on a fixed clock."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from community import roles
from ideas import services
from ideas.triage import metrics
from ideas.triage import selectors as triage
from ideas.triage import services as triage_services
from tests.factories import CategoryFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


REPLIES = itertools.cycle(
    [
        "Dana, the fan curve you describe is already in our next firmware build.",
        "We tried a brighter panel in March; the battery cost was too high for now.",
        "Good catch on the hinge: our engineers reproduced the creak on two units.",
        "Support for a second monitor over USB-C needs a new dock, which we are testing.",
    ]
)


def answer(idea, *, after: timedelta, responder):
    services.comment_create(
        author=responder,
        idea_id=idea.pk,
        body=next(REPLIES) + f" (idea {idea.pk})",
        official=True,
        now=idea.created_at + after,
    )


@pytest.fixture
def responder():
    return staff_user(roles.STAFF_RESPONDER)


def test_answer_figures_per_area_and_month(settings, responder):
    settings.IDEA_RESPONSE_TARGET_HOURS = 72
    laptops, phones = CategoryFactory(name="Laptops"), CategoryFactory(name="Phones")
    october = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
    fast = make_idea(category=laptops, now=october)
    slow = make_idea(category=laptops, now=october)
    make_idea(category=phones, now=october)  # never answered
    waiting = make_idea(category=phones, now=NOW - timedelta(hours=10))  # not due yet
    answer(fast, after=timedelta(hours=10), responder=responder)
    answer(slow, after=timedelta(hours=100), responder=responder)

    figures = metrics.staff_figures(now=NOW, months=3)

    total = figures.total
    assert total.posted == 4
    assert (total.answered_in_target, total.answer_due) == (1, 3)
    assert total.share_in_target == pytest.approx(1 / 3)
    assert total.median_hours == pytest.approx(55)
    by_area = {row.label: row for row in figures.by_area}
    assert (by_area["Laptops"].answered_in_target, by_area["Laptops"].answer_due) == (1, 2)
    assert (by_area["Phones"].answered_in_target, by_area["Phones"].answer_due) == (0, 1)
    by_month = {row.label: row for row in figures.by_month}
    assert by_month["October 2026"].posted == 3
    assert by_month["November 2026"].posted == 1
    assert by_month["September 2026"].posted == 0
    assert waiting.pk  # inside its target: neither answered nor missed


def test_decided_and_shipped_count_once_in_the_month_they_happened(responder):
    idea = make_idea(now=datetime(2026, 9, 1, tzinfo=UTC))
    steps = [("planned", 9, 10), ("in_progress", 10, 2), ("shipped", 11, 3)]
    for status, month, day in steps:
        services.idea_status_change(
            actor=responder,
            idea_id=idea.pk,
            to_status=status,
            message=f"Now {status}",
            now=datetime(2026, month, day, tzinfo=UTC),
        )

    figures = metrics.staff_figures(now=NOW, months=3)

    by_month = {row.label: row for row in figures.by_month}
    assert by_month["September 2026"].decided == 1
    assert by_month["November 2026"].shipped == 1
    assert figures.total.decided == 1
    assert figures.total.shipped == 1


def test_near_copy_share(settings, responder):
    settings.NEAR_COPY_THRESHOLD = 0.5
    first, second = make_idea(now=NOW - timedelta(days=2)), make_idea(now=NOW - timedelta(days=2))
    template = "Thank you for your feedback. We have passed it on to the product team for review."
    services.comment_create(
        author=responder,
        idea_id=first.pk,
        body=template,
        official=True,
        now=NOW - timedelta(days=1),
    )
    services.comment_create(
        author=responder,
        idea_id=second.pk,
        body=template,
        official=True,
        near_copy_acknowledged=True,
        now=NOW - timedelta(hours=20),
    )

    total = metrics.staff_figures(now=NOW, months=1).total

    assert (total.official_responses, total.near_copies) == (2, 1)
    assert total.near_copy_share == pytest.approx(0.5)


def test_overdue_board_groups_by_area_and_owner_oldest_first(settings, responder):
    settings.IDEA_RESPONSE_TARGET_HOURS = 72
    manager = staff_user(roles.PRODUCT_MANAGER)
    laptops, phones = CategoryFactory(name="Laptops"), CategoryFactory(name="Phones")
    oldest = make_idea(category=phones, now=NOW - timedelta(days=9))
    owned = make_idea(category=laptops, now=NOW - timedelta(days=5))
    unowned = make_idea(category=laptops, now=NOW - timedelta(days=4))
    make_idea(category=laptops, now=NOW - timedelta(hours=71))  # inside the target
    answered = make_idea(category=laptops, now=NOW - timedelta(days=6))
    answer(answered, after=timedelta(days=5), responder=responder)
    triage_services.idea_assign(actor=manager, idea_id=owned.pk, owner_id=responder.pk)

    board = triage.overdue_board(now=NOW)

    assert [(g.category.name, g.owner, [i.pk for i in g.ideas]) for g in board] == [
        ("Phones", None, [oldest.pk]),
        ("Laptops", responder, [owned.pk]),
        ("Laptops", None, [unowned.pk]),
    ]
    assert triage.overdue_count(now=NOW) == 3


def test_figures_page_shows_the_share_answered(client, responder):
    idea = make_idea()
    answer(idea, after=timedelta(minutes=5), responder=responder)
    client.force_login(responder)

    page = client.get("/staff/figures/").content.decode()

    assert "answered within target" in page
    assert "100%" in page

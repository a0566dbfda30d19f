""" "Overdue" has one definition: unanswered, and waited longer than the target."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ideas.models import Idea
from ideas.triage import metrics
from ideas.triage import selectors as triage
from tests.factories import make_idea, staff_user

pytestmark = pytest.mark.django_db


def posted_ago(idea, age: timedelta) -> None:
    Idea.objects.filter(pk=idea.pk).update(created_at=timezone.now() - age)


def test_an_idea_is_overdue_only_once_it_waited_longer_than_the_target(settings):
    now = timezone.now()
    target = timedelta(hours=settings.IDEA_RESPONSE_TARGET_HOURS)
    on_time = make_idea(title="Exactly one target old")
    late = make_idea(title="A second past the target")
    Idea.objects.filter(pk=on_time.pk).update(created_at=now - target)
    Idea.objects.filter(pk=late.pk).update(created_at=now - target - timedelta(seconds=1))

    board = [idea.pk for group in triage.overdue_board(now=now) for idea in group.ideas]
    assert board == [late.pk]
    assert triage.overdue_count(now=now) == 1
    figures = metrics.staff_figures(now=now)
    # The figures count an idea as "due an answer" on the same boundary.
    assert figures.total.answer_due == 1


def test_the_inbox_and_the_triage_page_mark_the_same_ideas_overdue(settings):
    target = timedelta(hours=settings.IDEA_RESPONSE_TARGET_HOURS)
    fresh = make_idea(title="Posted an hour ago")
    late = make_idea(title="Waiting for four days")
    posted_ago(fresh, timedelta(hours=1))
    posted_ago(late, target + timedelta(days=1))
    client = Client()
    client.force_login(staff_user())

    inbox = client.get("/staff/")
    flagged = {idea.pk for idea in inbox.context["ideas"] if idea.is_overdue}
    assert flagged == {late.pk}
    assert client.get(f"/staff/ideas/{late.pk}/").context["overdue"] is True
    assert client.get(f"/staff/ideas/{fresh.pk}/").context["overdue"] is False

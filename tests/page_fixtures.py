"""Fixtures that build the Wagtail page tree; loaded by tests/conftest.py."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.models import StormSessionIndexPage, StormSessionPage, StoryIndexPage
from cms.services import home_page_ensure
from tests.factories import CategoryFactory, UserFactory, make_idea, publish


@pytest.fixture
def home(db):
    return home_page_ensure()


@pytest.fixture
def story_index(home):
    return publish(home, StoryIndexPage(title="Ideas in Action", slug="ideas-in-action"))


@pytest.fixture
def session_index(home):
    return publish(home, StormSessionIndexPage(title="Storm Sessions", slug="storm-sessions"))


@pytest.fixture
def make_session(session_index):
    def make(*, starts_in_days: float = -1, lasts_days: float = 7, **kwargs):
        now = timezone.now()
        starts = now + timedelta(days=starts_in_days)
        return publish(
            session_index,
            StormSessionPage(
                title=kwargs.pop("title", "Battery life week"),
                theme="What would make your laptop last all day?",
                prompt="<p>Tell us.</p>",
                product_area=kwargs.pop("product_area", None) or CategoryFactory(),
                starts_at=starts,
                ends_at=starts + timedelta(days=lasts_days),
                **kwargs,
            ),
        )

    return make


def restricted_idea(make_session):
    """An idea in a Storm Session limited to a new group of beta testers (its author's)."""
    beta_tester = UserFactory()
    group = Group.objects.create(name=f"Beta testers {beta_tester.pk}")
    beta_tester.groups.add(group)
    session = make_session(title="Beta testers' week", restricted_to=group)
    return make_idea(author=beta_tester, storm_session=session, title="A beta testers' idea")

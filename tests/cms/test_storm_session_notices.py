"""Storm Session open and close notices: the right members, once, with preference support."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cms.models import StormSessionNotice
from cms.services import storm_session_notices_send
from community.models import Notification
from community.notifications import kinds
from community.notifications.models import EmailPreference, Frequency
from ideas import services
from ideas.models import Idea
from tests.factories import CategoryFactory, UserFactory, make_idea

pytestmark = pytest.mark.django_db


def took_part(session):
    """An author, a voter and a follower of one of the session's ideas."""
    author, voter, follower = UserFactory(), UserFactory(), UserFactory()
    idea = make_idea(author=author, category=session.product_area)
    Idea.objects.filter(pk=idea.pk).update(storm_session=session)  # posted while it was open
    services.vote_cast(voter=voter, idea_id=idea.pk, value=1)
    services.follow_set(user=follower, idea_id=idea.pk, following=True)
    return {author.pk, voter.pk, follower.pk}


def told(phase_text: str) -> set[int]:
    notes = Notification.objects.filter(kind="storm_session", text__contains=phase_text)
    return set(notes.values_list("user_id", flat=True))


def test_a_closed_session_tells_those_who_took_part_once(make_session, run_tasks):
    session = make_session(starts_in_days=-3, lasts_days=2)  # closed a day ago
    members = took_part(session)
    bystander = UserFactory()
    run_tasks()

    assert storm_session_notices_send() == [(session.pk, "closed")]
    assert storm_session_notices_send() == []  # the next scheduler pass
    run_tasks()

    assert told("has closed") == members
    assert bystander.pk not in told("has closed")
    note = Notification.objects.filter(kind="storm_session").first()
    assert note.idea_id is None and note.url == session.url
    assert StormSessionNotice.objects.filter(session=session).count() == 1


def test_an_opening_session_tells_those_who_took_part_in_the_areas_earlier_ones(
    make_session, run_tasks
):
    area = CategoryFactory()
    earlier = make_session(starts_in_days=-30, lasts_days=7, product_area=area, title="Earlier")
    elsewhere = make_session(starts_in_days=-30, lasts_days=7, title="Another area")
    veterans, strangers = took_part(earlier), took_part(elsewhere)
    run_tasks()

    session = make_session(starts_in_days=-0.1, lasts_days=7, product_area=area, title="Now")
    assert storm_session_notices_send() == [(session.pk, "open")]
    run_tasks()

    assert told("“Now” is open") == veterans
    assert not told("“Now” is open") & strangers


def test_the_notice_is_in_the_weekly_digest_by_default_and_can_be_turned_off(
    make_session, run_tasks, mailoutbox
):
    assert kinds.default_frequency("storm_session") == Frequency.WEEKLY
    assert "storm_session" in kinds.MEMBER_KINDS
    session = make_session(starts_in_days=-3, lasts_days=2)
    members = sorted(took_part(session))
    EmailPreference.objects.create(user_id=members[0], kind="storm_session", frequency="instant")
    EmailPreference.objects.create(user_id=members[1], kind="storm_session", frequency="off")
    run_tasks()
    mailoutbox.clear()

    storm_session_notices_send()
    run_tasks()

    emails = [m for m in mailoutbox if "Storm Session" in m.subject]
    assert [m.to for m in emails] == [[UserFactory._meta.model.objects.get(pk=members[0]).email]]
    assert session.title in emails[0].body
    decided = dict(
        Notification.objects.filter(kind="storm_session").values_list("user_id", "email")
    )
    assert decided[members[1]] == "off" and decided[members[2]] == "weekly"


def test_old_sessions_and_unpublished_ones_tell_nobody(make_session, run_tasks):
    make_session(starts_in_days=-60, lasts_days=7)  # long closed before notices existed
    hidden = make_session(starts_in_days=-3, lasts_days=2, title="Withdrawn")
    took_part(hidden)
    hidden.unpublish()

    assert storm_session_notices_send() == []
    run_tasks()
    assert not Notification.objects.filter(kind="storm_session").exists()


def test_a_session_unpublished_before_the_worker_ran_tells_nobody(make_session, run_tasks):
    session = make_session(starts_in_days=-3, lasts_days=2)
    took_part(session)
    run_tasks()
    storm_session_notices_send(now=timezone.now() + timedelta(seconds=1))
    session.unpublish()
    run_tasks()
    assert not Notification.objects.filter(kind="storm_session").exists()

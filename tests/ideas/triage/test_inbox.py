"""The triage inbox: merit order, filters, assignment and bulk actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import roles
from community.core.exceptions import InvalidInput, NotAllowed
from community.models import AuditEntry
from ideas import services
from ideas.models import Idea, StatusEvent
from ideas.triage import selectors as triage
from ideas.triage import services as triage_services
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def promote(idea, count):
    for member in UserFactory.create_batch(count):
        services.vote_cast(voter=member, idea_id=idea.pk, value=1)


def test_more_distinct_supporters_come_first():
    quiet, popular = make_idea(title="Quiet idea here"), make_idea(title="Popular idea here")
    promote(popular, 3)

    order = [idea.pk for idea in triage.inbox(now=timezone.now())]

    assert order == [popular.pk, quiet.pk]


def test_loud_threads_and_repeat_posters_do_not_raise_an_idea():
    now = timezone.now()
    loud = make_idea(title="A loud thread idea")
    regular, friend = UserFactory(), UserFactory()
    for n in range(10):
        services.comment_create(author=regular, idea_id=loud.pk, body=f"Bump {n}")
        services.comment_create(author=friend, idea_id=loud.pk, body=f"Agree {n}")
    # The same member's vote counts once however often they send it.
    for _ in range(5):
        services.vote_cast(voter=regular, idea_id=loud.pk, value=1)
    supported = make_idea(title="Quietly supported idea")
    promote(supported, 3)

    order = [idea.pk for idea in triage.inbox(now=now)]

    assert order == [supported.pk, loud.pk]


def test_demotes_count_against_an_idea():
    liked, disliked = make_idea(), make_idea()
    for member in UserFactory.create_batch(3):
        services.vote_cast(voter=member, idea_id=disliked.pk, value=-1)

    assert [i.pk for i in triage.inbox(now=timezone.now())] == [liked.pk, disliked.pk]


def test_waiting_time_raises_an_idea(settings):
    settings.TRIAGE_SUPPORTERS_PER_WAITING_DAY = 2
    now = timezone.now()
    old = make_idea(title="Waiting for days", now=now - timedelta(days=3))
    fresh = make_idea(title="Posted just now", now=now)
    promote(fresh, 5)  # 6 net supporters against 1 + 3 days × 2

    ranked = list(triage.inbox(now=now))

    assert [idea.pk for idea in ranked] == [old.pk, fresh.pk]
    assert ranked[0].merit == pytest.approx(1 + 2 * 3, abs=0.01)


def test_answered_and_merged_ideas_leave_the_inbox():
    answered, merged, into, waiting = make_idea(), make_idea(), make_idea(), make_idea()
    services.comment_create(
        author=staff_user(), idea_id=answered.pk, body="Thanks, we read it.", official=True
    )
    services.idea_merge(
        actor=staff_user(roles.PRODUCT_MANAGER), duplicate_id=merged.pk, into_id=into.pk
    )

    assert {i.pk for i in triage.inbox(now=timezone.now())} == {into.pk, waiting.pk}


def test_a_status_change_is_a_first_answer():
    idea = make_idea()
    services.idea_status_change(
        actor=staff_user(), idea_id=idea.pk, to_status="under_review", message="Looking at it."
    )
    idea.refresh_from_db()
    assert idea.first_staff_response_at is not None
    assert not triage.inbox(now=timezone.now()).filter(pk=idea.pk).exists()


def test_filters_by_area_owner_and_status():
    area = CategoryFactory()
    manager = staff_user(roles.PRODUCT_MANAGER)
    in_area = make_idea(category=area)
    mine = make_idea()
    other = make_idea()
    triage_services.idea_assign(actor=manager, idea_id=mine.pk, owner_id=manager.pk)
    now = timezone.now()

    assert [i.pk for i in triage.inbox(now=now, category=area)] == [in_area.pk]
    assert [i.pk for i in triage.inbox(now=now, owner=manager)] == [mine.pk]
    assert {i.pk for i in triage.inbox(now=now, unassigned=True)} == {in_area.pk, other.pk}
    assert list(triage.inbox(now=now, status="planned")) == []


def test_assign_sets_owner_and_area_and_is_audited():
    manager = staff_user(roles.PRODUCT_MANAGER)
    responder = staff_user(roles.STAFF_RESPONDER)
    idea = make_idea()
    area = CategoryFactory()

    triage_services.idea_assign(
        actor=manager, idea_id=idea.pk, owner_id=responder.pk, category_id=area.pk
    )

    idea.refresh_from_db()
    assert (idea.owner, idea.category) == (responder, area)
    entry = AuditEntry.objects.get(action="assign")
    assert entry.before["owner"] is None and entry.after["owner"] == responder.pk
    assert entry.after["category"] == area.pk


def test_only_staff_can_own_an_idea_and_only_managers_assign():
    manager = staff_user(roles.PRODUCT_MANAGER)
    idea = make_idea()
    with pytest.raises(InvalidInput, match="member of staff"):
        triage_services.idea_assign(actor=manager, idea_id=idea.pk, owner_id=UserFactory().pk)
    with pytest.raises(NotAllowed):
        triage_services.idea_assign(
            actor=staff_user(roles.STAFF_RESPONDER), idea_id=idea.pk, owner_id=manager.pk
        )
    idea.refresh_from_db()
    assert idea.owner is None
    assert not AuditEntry.objects.filter(action="assign").exists()


def test_bulk_changes_all_or_nothing():
    manager = staff_user(roles.PRODUCT_MANAGER)
    first, second = make_idea(), make_idea()
    declined = make_idea(title="Declined earlier")
    services.idea_status_change(
        actor=manager, idea_id=declined.pk, to_status="not_planned", message="Not for now."
    )

    # The last idea cannot go to planned, so the first two must not either.
    with pytest.raises(InvalidInput, match="Declined earlier.*Nothing was changed"):
        triage_services.ideas_bulk_update(
            actor=manager,
            idea_ids=[first.pk, second.pk, declined.pk],
            owner_id=manager.pk,
            to_status="planned",
            message="Planned for spring",
        )
    assert not Idea.objects.filter(owner=manager).exists()
    assert StatusEvent.objects.count() == 1

    changed = triage_services.ideas_bulk_update(
        actor=manager,
        idea_ids=[first.pk, second.pk],
        owner_id=manager.pk,
        to_status="under_review",
        message="We are looking at these together.",
    )
    assert changed == 2
    assert set(Idea.objects.filter(owner=manager).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert StatusEvent.objects.filter(to_status="under_review").count() == 2
    assert AuditEntry.objects.filter(action="status_change").count() == 3


def test_inbox_page_lists_ideas_in_merit_order(client):
    quiet, popular = make_idea(title="A quiet inbox idea"), make_idea(title="A popular inbox idea")
    promote(popular, 2)
    client.force_login(staff_user())

    page = client.get("/staff/").content.decode()

    assert page.index(popular.title) < page.index(quiet.title)
    assert "2 ideas await a first staff answer" in page


def test_bulk_status_change_without_message_is_refused(client):
    idea = make_idea()
    client.force_login(staff_user(roles.PRODUCT_MANAGER))

    response = client.post("/staff/bulk/", {"ideas": [idea.pk], "status": "planned"})

    assert response.status_code == 400
    assert "public explanation" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "new"


def test_inbox_filter_with_unknown_values_is_a_clear_error(client):
    client.force_login(staff_user())
    response = client.get("/staff/?status=launched")
    assert response.status_code == 400
    assert "valid choice" in response.content.decode()


def test_actions_on_missing_ideas_are_clear_errors(client):
    client.force_login(staff_user(roles.PRODUCT_MANAGER))
    area = CategoryFactory()

    for path, data in [
        ("/staff/ideas/999999/assign/", {"category": area.pk}),
        ("/staff/ideas/999999/merge/", {"into": "1"}),
        ("/ideas/999999/status/", {"status": "planned", "message": "Yes"}),
    ]:
        response = client.post(path, data)
        assert response.status_code == 404, path
        assert "does not exist" in response.content.decode()
    assert client.get("/staff/ideas/999999/").status_code == 404
    assert not AuditEntry.objects.exists()

import pytest

from community.core.exceptions import InvalidInput, NotAllowed
from ideas import services
from ideas.models import StatusEvent
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def test_status_change_records_who_when_from_to_and_why():
    idea = make_idea()
    responder = staff_user()

    event = services.idea_status_change(
        actor=responder, idea_id=idea.pk, to_status="under_review", message="Looking into it."
    )

    idea.refresh_from_db()
    assert idea.status == "under_review"
    assert (event.actor, event.from_status, event.to_status) == (responder, "new", "under_review")
    assert event.message == "Looking into it."
    assert idea.status_changed_at == event.created_at


@pytest.mark.parametrize(
    ("to_status", "message", "error"),
    [
        ("planned", "   ", "Explain the change"),
        ("new", "Still new", "already new"),
        ("shipped", "Done!", "cannot go from new to shipped"),
        ("launched", "Done!", "not a status"),
    ],
)
def test_bad_status_changes_are_refused_and_change_nothing(to_status, message, error):
    idea = make_idea()

    with pytest.raises(InvalidInput, match=error):
        services.idea_status_change(
            actor=staff_user(), idea_id=idea.pk, to_status=to_status, message=message
        )

    idea.refresh_from_db()
    assert idea.status == "new"
    assert not StatusEvent.objects.exists()


def test_customers_cannot_change_status():
    idea = make_idea()

    with pytest.raises(NotAllowed):
        services.idea_status_change(
            actor=UserFactory(), idea_id=idea.pk, to_status="planned", message="Please!"
        )
    idea.refresh_from_db()
    assert idea.status == "new"


def test_an_idea_walks_the_whole_workflow_to_shipped():
    idea = make_idea()
    staff = staff_user()
    for status in ["under_review", "planned", "in_progress", "shipped"]:
        services.idea_status_change(actor=staff, idea_id=idea.pk, to_status=status, message="Next")

    assert list(idea.status_events.values_list("to_status", flat=True)) == [
        "under_review",
        "planned",
        "in_progress",
        "shipped",
    ]

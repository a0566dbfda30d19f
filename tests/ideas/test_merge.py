"""Merging duplicates: support is gathered without counting anyone twice."""

import pytest
from django.contrib.contenttypes.models import ContentType
from voting.models import Vote

from community import roles
from community.core.exceptions import InvalidInput, NotAllowed
from community.models import AuditEntry, Notification
from ideas import services
from ideas.exceptions import IdeaNotFound
from ideas.models import Follow, Idea, Status
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def vote(user, idea, value):
    services.vote_cast(voter=user, idea_id=idea.pk, value=value)


def voters(idea) -> dict[int, int]:
    rows = Vote.objects.filter(
        content_type=ContentType.objects.get_for_model(Idea), object_id=str(idea.pk)
    )
    return dict(rows.values_list("user_id", "vote"))


@pytest.fixture
def manager():
    return staff_user(roles.PRODUCT_MANAGER)


def test_merge_moves_votes_once_and_the_survivors_vote_wins(manager):
    duplicate, into = (
        make_idea(title="Matte screen option"),
        make_idea(title="Matte display please"),
    )
    only_duplicate, both_same, both_conflict, only_into = UserFactory.create_batch(4)
    vote(only_duplicate, duplicate, 1)
    vote(both_same, duplicate, 1)
    vote(both_same, into, 1)
    vote(both_conflict, duplicate, 1)
    vote(both_conflict, into, -1)
    vote(only_into, into, -1)
    members_before = set(voters(duplicate)) | set(voters(into))

    result = services.idea_merge(actor=manager, duplicate_id=duplicate.pk, into_id=into.pk)

    after = voters(into)
    # Every member who voted on either idea has exactly one vote on the survivor.
    assert set(after) == members_before
    assert after[only_duplicate.pk] == 1
    assert after[both_same.pk] == 1
    assert after[both_conflict.pk] == -1  # the vote on the surviving idea stands
    assert voters(duplicate) == {}
    assert (result.moved_votes, result.dropped_votes) == (2, 2)  # the author's + only_duplicate

    into.refresh_from_db()
    duplicate.refresh_from_db()
    assert into.promotes == sum(1 for v in after.values() if v == 1)
    assert into.demotes == sum(1 for v in after.values() if v == -1)
    assert into.score == into.promotes - into.demotes
    assert (duplicate.status, duplicate.merged_into_id, duplicate.score) == (
        Status.DUPLICATE, into.pk, 0,
    )  # fmt: skip
    assert services.idea_counters_repair(fix=False) == []


def test_followers_move_and_comments_stay_readable_on_the_duplicate(manager):
    duplicate, into = make_idea(), make_idea()
    follower = UserFactory()
    services.follow_set(user=follower, idea_id=duplicate.pk, following=True)
    services.comment_create(author=follower, idea_id=duplicate.pk, body="Same here.")

    services.idea_merge(actor=manager, duplicate_id=duplicate.pk, into_id=into.pk)

    assert Follow.objects.filter(idea=into, user=follower).exists()
    assert Follow.objects.filter(idea=into, user=duplicate.author).exists()
    assert not Follow.objects.filter(idea=duplicate).exists()
    assert duplicate.comments.get().body == "Same here."


def test_the_author_voters_and_followers_hear_about_the_merge(manager, run_tasks):
    duplicate, into = make_idea(), make_idea()
    supporter = UserFactory()
    vote(supporter, duplicate, 1)

    services.idea_merge(actor=manager, duplicate_id=duplicate.pk, into_id=into.pk)
    run_tasks()

    told = set(Notification.objects.filter(kind="merged").values_list("user_id", flat=True))
    assert told == {duplicate.author_id, supporter.pk}
    note = Notification.objects.filter(kind="merged").first()
    assert note.url == into.get_absolute_url()
    assert into.title in note.text


def test_a_merge_is_in_the_audit_log_with_before_and_after(manager):
    duplicate, into = make_idea(), make_idea()

    services.idea_merge(actor=manager, duplicate_id=duplicate.pk, into_id=into.pk)

    entry = AuditEntry.objects.get(action="merge")
    assert entry.actor == manager
    assert entry.target_id == duplicate.pk
    assert entry.before["status"] == "new"
    assert entry.after["merged_into"] == into.pk
    assert entry.after["moved_votes"] == 1


def test_chains_are_flattened_and_supporters_conserved(manager):
    first, second, third = make_idea(), make_idea(), make_idea()
    members = UserFactory.create_batch(3)
    for member, idea in zip(members, (first, second, third), strict=True):
        vote(member, idea, 1)
    supporters = set(voters(first)) | set(voters(second)) | set(voters(third))

    services.idea_merge(actor=manager, duplicate_id=first.pk, into_id=second.pk)
    services.idea_merge(actor=manager, duplicate_id=second.pk, into_id=third.pk)

    first.refresh_from_db()
    third.refresh_from_db()
    assert first.merged_into_id == third.pk  # straight to the survivor, no chain
    assert set(voters(third)) == supporters
    assert third.promotes == len(supporters)


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("itself", InvalidInput, "into itself"),
        ("missing", IdeaNotFound, "does not exist"),
        ("already merged", InvalidInput, "already merged"),
        ("into its own duplicate", InvalidInput, "was itself merged"),
    ],
)
def test_bad_merges_are_refused_and_change_nothing(manager, case, error, message):
    a, b = make_idea(), make_idea()
    services.idea_merge(actor=manager, duplicate_id=b.pk, into_id=a.pk)  # b → a
    c = make_idea()
    source, target = {
        "itself": (c.pk, c.pk),
        "missing": (c.pk, 999_999),
        "already merged": (b.pk, c.pk),
        "into its own duplicate": (a.pk, b.pk),
    }[case]
    before = list(Idea.objects.order_by("pk").values())
    audit_before = AuditEntry.objects.count()

    with pytest.raises(error, match=message):
        services.idea_merge(actor=manager, duplicate_id=source, into_id=target)

    assert list(Idea.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audit_before


def test_responders_and_members_cannot_merge():
    duplicate, into = make_idea(), make_idea()
    for actor in (staff_user(roles.STAFF_RESPONDER), UserFactory()):
        with pytest.raises(NotAllowed):
            services.idea_merge(actor=actor, duplicate_id=duplicate.pk, into_id=into.pk)
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_status_change_cannot_make_a_duplicate_without_a_merge():
    idea = make_idea()
    with pytest.raises(InvalidInput, match="merging"):
        services.idea_status_change(
            actor=staff_user(), idea_id=idea.pk, to_status="duplicate", message="Dupe"
        )


def test_merge_through_the_staff_page(client, manager):
    duplicate, into = make_idea(), make_idea()
    client.force_login(manager)

    response = client.post(
        f"/staff/ideas/{duplicate.pk}/merge/", {"into": into.get_absolute_url(), "message": ""}
    )

    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == into.pk
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "was merged into" in page and into.title in page


def test_merge_page_explains_bad_input(client, manager):
    idea = make_idea()
    client.force_login(manager)

    response = client.post(f"/staff/ideas/{idea.pk}/merge/", {"into": "the other one"})

    assert response.status_code == 400
    assert "number (like 42) or its address" in response.content.decode()

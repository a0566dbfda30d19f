"""The signed-in member of each request is read with their groups and bell in one
query (`community.members.backends`), and reads as the member does in full."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import roles
from community.members.selectors import member_for_request
from community.models import Notification, Suspension, User
from community.notifications.selectors import unread_count
from community.permissions import active_suspension, can_participate, has_verified_email
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def notify(member, *, read: bool = False) -> None:
    Notification.objects.create(
        user=member, kind="reply", text="A reply", url="/", created_at=timezone.now(),
        read_at=timezone.now() if read else None,
    )  # fmt: skip


def test_one_query_reads_the_member_their_groups_and_their_bell():
    member = staff_user(roles.PRODUCT_MANAGER)
    member.groups.add(Group.objects.create(name="Beta testers"))
    notify(member)
    notify(member)
    notify(member, read=True)

    with CaptureQueriesContext(connection) as queries:
        read = member_for_request(str(member.pk))  # as the session keeps it
        seen = (read.role, read.is_staff_member, read.group_ids, unread_count(read))

    plain = User.objects.get(pk=member.pk)
    assert seen == (plain.role, True, plain.group_ids, 2)
    assert read.role == roles.PRODUCT_MANAGER
    assert len(queries) == 1


def test_a_member_in_no_group_with_nothing_unread():
    member = UserFactory()
    member.groups.clear()

    read = member_for_request(member.pk)

    assert (read.group_ids, read.is_staff_member, unread_count(read)) == (frozenset(), False, 0)


@pytest.mark.parametrize("user_id", ["999999999", "not-a-number", ""])
def test_no_such_member(user_id):
    assert member_for_request(user_id) is None


def test_a_signed_in_page_knows_the_member_as_they_are(client):
    member = UserFactory(display_name="Ada Admin-to-be")
    client.force_login(member)
    notify(member)
    assert "Notifications, 1 unread" in client.get("/ideas/").content.decode()

    member.groups.add(Group.objects.get(name=roles.COMMUNITY_MANAGER))

    page = client.get("/staff/").status_code  # a staff page, now theirs
    assert page == 200


def suspend(member, *, days: float | None = 3, lifted: bool = False) -> Suspension:
    now = timezone.now()
    return Suspension.objects.create(
        member=member, actor=staff_user(), reason="Spam.", created_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days) if days is not None else None,
        lifted_at=now if lifted else None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "takes_part"),
    [("verified", True), ("unverified", False), ("lifted", True), ("ended", True)],
)
def test_whether_they_may_take_part_comes_with_them(kind, takes_part):
    member = UserFactory(verified=kind != "unverified")
    if kind == "lifted":
        suspend(member, lifted=True)
    if kind == "ended":
        suspend(member, days=-0.5)  # over, though never lifted: looked up, and not in force

    read = member_for_request(member.pk)
    with CaptureQueriesContext(connection) as queries:
        answer = can_participate(read)

    assert answer is takes_part
    assert len(queries) == (1 if kind == "ended" else 0)


def test_a_suspended_member_is_told_why():
    member = UserFactory()
    suspension = suspend(member, days=None)

    read = member_for_request(member.pk)

    assert has_verified_email(read) and active_suspension(read) == suspension
    assert not can_participate(read)

"""Every role × every staff action, through the URLs a person would call.

What each role may do comes from community.roles.ROLE_PERMISSIONS (given to
the groups by a data migration). The server must allow exactly that: an action
outside a role is refused with 403 (or 404 for a hidden idea, or one of a
Storm Session limited to a group the member is not in) and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from community import roles
from community.models import Suspension
from ideas.models import Comment, Idea, Visibility
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user
from tests.page_fixtures import restricted_idea

pytestmark = pytest.mark.django_db


@dataclass
class World:
    idea: Idea
    other: Idea
    hidden: Idea
    # An idea of a Storm Session limited to a group the role's member is not in.
    restricted: Idea
    area: object
    member: object


@dataclass(frozen=True)
class Action:
    permission: str
    # Calls the URL as the signed-in client; returns the response.
    call: Callable
    # True when the action took effect.
    happened: Callable


def get(path):
    return lambda client, world: client.get(path(world) if callable(path) else path)


ACTIONS = {
    "open the triage inbox": Action(roles.TRIAGE, get("/staff/"), None),
    "see the overdue board": Action(roles.TRIAGE, get("/staff/overdue/"), None),
    "see staff figures": Action(roles.TRIAGE, get("/staff/figures/"), None),
    "open an idea in triage": Action(
        roles.TRIAGE, get(lambda w: f"/staff/ideas/{w.idea.pk}/"), None
    ),
    "see a hidden idea": Action(
        roles.VIEW_HIDDEN, get(lambda w: f"/ideas/{w.hidden.pk}-{w.hidden.slug}/"), None
    ),
    "see an idea of a session for another group": Action(
        roles.VIEW_HIDDEN, get(lambda w: w.restricted.get_absolute_url()), None
    ),
    "open a session for another group": Action(
        roles.VIEW_HIDDEN, get(lambda w: w.restricted.storm_session.url), None
    ),
    "post an official response": Action(
        roles.RESPOND,
        lambda c, w: c.post(
            f"/ideas/{w.idea.pk}/comments/", {"body": "We read every word.", "official": "on"}
        ),
        lambda w: Comment.objects.filter(is_official=True).exists(),
    ),
    "change status": Action(
        roles.SET_STATUS,
        lambda c, w: c.post(
            f"/ideas/{w.idea.pk}/status/", {"status": "under_review", "message": "Reviewing."}
        ),
        lambda w: Idea.objects.get(pk=w.idea.pk).status == "under_review",
    ),
    "assign a product area": Action(
        roles.ASSIGN,
        lambda c, w: c.post(f"/staff/ideas/{w.idea.pk}/assign/", {"category": w.area.pk}),
        lambda w: Idea.objects.get(pk=w.idea.pk).category_id == w.area.pk,
    ),
    "merge a duplicate": Action(
        roles.MERGE,
        lambda c, w: c.post(f"/staff/ideas/{w.other.pk}/merge/", {"into": str(w.idea.pk)}),
        lambda w: Idea.objects.get(pk=w.other.pk).merged_into_id == w.idea.pk,
    ),
    "open the moderation queue": Action(roles.MODERATE, get("/staff/moderation/"), None),
    "hide an idea": Action(
        roles.MODERATE,
        lambda c, w: c.post(f"/staff/moderation/ideas/{w.idea.pk}/hide/", {"reason": "Spam."}),
        lambda w: Idea.objects.get(pk=w.idea.pk).visibility == Visibility.HIDDEN,
    ),
    "suspend a member": Action(
        roles.SUSPEND,
        lambda c, w: c.post(
            f"/staff/moderation/members/{w.member.pk}/suspend/",
            {"reason": "Repeated abuse.", "length": "days", "days": 3},
        ),
        lambda w: Suspension.objects.filter(member=w.member).exists(),
    ),
    "read the audit log": Action(roles.READ_AUDIT_LOG, get("/staff/audit/"), None),
}

MATRIX = [(role, action) for role in roles.ALL_ROLES for action in ACTIONS]


@pytest.fixture
def world(make_session):
    author = UserFactory()
    hidden = make_idea(author=author, title="A hidden idea for the matrix")
    Idea.objects.filter(pk=hidden.pk).update(visibility=Visibility.HIDDEN)
    return World(
        idea=make_idea(author=author, title="The idea staff act on"),
        other=make_idea(title="A duplicate of the idea staff act on"),
        hidden=hidden,
        restricted=restricted_idea(make_session),
        area=CategoryFactory(),
        member=UserFactory(),
    )


@pytest.mark.parametrize(("role", "action_name"), MATRIX)
def test_each_role_may_do_exactly_what_its_permissions_say(client, world, role, action_name):
    action = ACTIONS[action_name]
    allowed = action.permission in roles.ROLE_PERMISSIONS[role]
    user = staff_user(role) if role != roles.MEMBER else UserFactory(role=roles.MEMBER)
    client.force_login(user)

    response = action.call(client, world)

    if allowed:
        assert response.status_code in (200, 302), response.content[:300]
        if action.happened:
            assert action.happened(world)
    else:
        assert response.status_code in (403, 404)
        if action.happened:
            assert not action.happened(world)


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for path in ("/staff/", "/staff/figures/", f"/staff/ideas/{world.idea.pk}/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_matrix_is_what_the_migration_gave_the_groups():
    from django.contrib.auth.models import Group

    for role, permissions in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert granted == permissions, role

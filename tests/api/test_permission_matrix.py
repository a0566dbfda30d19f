"""Every role × every staff action, through the API with a staff-scope token.

The permission matrix of tests/community/test_permission_matrix.py, asked of
the API: allowed takes effect; refused is a 403 that changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from community import roles
from ideas.models import Comment, Idea
from tests.api.conftest import bearer
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user
from tests.page_fixtures import restricted_idea

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Action:
    permission: str
    call: Callable  # (api, headers, world) -> response
    happened: Callable | None


ACTIONS = {
    "post an official response": Action(
        roles.RESPOND,
        lambda api, h, w: api.call("post", f"/ideas/{w['idea'].pk}/official-responses",
                                   {"body": "We read every word."}, headers=h),
        lambda w: Comment.objects.filter(is_official=True).exists(),
    ),
    "change status": Action(
        roles.SET_STATUS,
        lambda api, h, w: api.call("post", f"/ideas/{w['idea'].pk}/status",
                                   {"status": "under_review", "message": "Reviewing."}, headers=h),
        lambda w: Idea.objects.get(pk=w["idea"].pk).status == "under_review",
    ),
    "assign a product area": Action(
        roles.ASSIGN,
        lambda api, h, w: api.call("post", f"/ideas/{w['idea'].pk}/assignment",
                                   {"product_area_id": w["area"].pk}, headers=h),
        lambda w: Idea.objects.get(pk=w["idea"].pk).category_id == w["area"].pk,
    ),
    "assign an owner": Action(
        roles.ASSIGN,
        lambda api, h, w: api.call("post", f"/ideas/{w['idea'].pk}/assignment",
                                   {"owner_id": w["owner"].pk}, headers=h),
        lambda w: Idea.objects.get(pk=w["idea"].pk).owner_id == w["owner"].pk,
    ),
    "merge a duplicate": Action(
        roles.MERGE,
        lambda api, h, w: api.call("post", f"/ideas/{w['other'].pk}/merge",
                                   {"into_id": w["idea"].pk}, headers=h),
        lambda w: Idea.objects.get(pk=w["other"].pk).merged_into_id == w["idea"].pk,
    ),
    "read the staff figures": Action(
        roles.TRIAGE, lambda api, h, w: api.call("get", "/staff/figures", headers=h), None
    ),
    "see a hidden idea": Action(
        roles.VIEW_HIDDEN,
        lambda api, h, w: api.call("get", f"/ideas/{w['hidden'].pk}", headers=h),
        None,
    ),
    "see an idea of a session for another group": Action(
        roles.VIEW_HIDDEN,
        lambda api, h, w: api.call("get", f"/ideas/{w['restricted'].pk}", headers=h),
        None,
    ),
}  # fmt: skip
NOT_FOUND_TO_OTHERS = {"see a hidden idea", "see an idea of a session for another group"}

MATRIX = [(role, action) for role in roles.ALL_ROLES for action in ACTIONS]


@pytest.fixture
def world(make_session):
    author = UserFactory()
    hidden = make_idea(author=author, title="A hidden idea for the API matrix")
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")
    return {
        "idea": make_idea(author=author, title="The idea staff act on through the API"),
        "other": make_idea(title="A duplicate of the idea staff act on via API"),
        "hidden": hidden,
        "restricted": restricted_idea(make_session),
        "area": CategoryFactory(),
        "owner": staff_user(roles.STAFF_RESPONDER),
    }


@pytest.mark.parametrize(("role", "action_name"), MATRIX)
def test_each_role_may_do_exactly_what_its_permissions_say(api, world, role, action_name):
    action = ACTIONS[action_name]
    allowed = action.permission in roles.ROLE_PERMISSIONS[role]
    user = staff_user(role) if role != roles.MEMBER else UserFactory(role=roles.MEMBER)
    # Members cannot hold a staff token; their write token is as far as they get.
    headers = bearer(user, "staff" if role != roles.MEMBER else "write")

    response = action.call(api, headers, world)

    if allowed:
        assert response.status_code in (200, 201), response.content[:300]
        if action.happened:
            assert action.happened(world)
    else:
        expected = (403, 404) if action_name in NOT_FOUND_TO_OTHERS else (403,)
        assert response.status_code in expected, response.content[:300]
        assert response.json()["error"]["code"] in ("forbidden", "not_found")
        if action.happened:
            assert not action.happened(world)

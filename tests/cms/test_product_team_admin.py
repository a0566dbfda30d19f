"""The Wagtail admin screens for what product teams configure, and who may use them.

Product areas, status labels and tags are snippets; the community settings a
`wagtail.contrib.settings` page. Each role gets exactly what
community.roles.ROLE_PERMISSIONS gives it (the groups get them from a data
migration): members and staff responders are kept out of the admin, community
managers tidy tags, product managers and administrators configure everything.
"""

import pytest
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from community import configuration, roles
from community.configuration.models import CommunitySettings
from community.core.exceptions import InvalidInput
from community.models import AuditEntry
from ideas.models import Category, StatusLabel
from ideas.services import tags as tag_services
from ideas.targets import response_target
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

SCREENS = {
    "product areas": ("wagtailsnippets_ideas_category:list", "product"),
    "add a product area": ("wagtailsnippets_ideas_category:add", "product"),
    "status labels": ("wagtailsnippets_ideas_statuslabel:list", "product"),
    "tags": ("wagtailsnippets_taggit_tag:list", "tags"),
    "merge tags": ("wagtailsnippets_taggit_tag:merge", "tags"),
    "community settings": ("wagtailsettings:edit", "product"),
}
# Who may open which kind of screen.
ALLOWED = {
    "member": set(),
    "staff responder": set(),
    "community manager": {"tags"},
    "product manager": {"tags", "product"},
    "administrator": {"tags", "product"},
}


def signed_in(role: str) -> Client:
    user = {
        "member": lambda: UserFactory(),
        "staff responder": lambda: staff_user(roles.STAFF_RESPONDER),
        "community manager": lambda: staff_user(roles.COMMUNITY_MANAGER),
        "product manager": lambda: staff_user(roles.PRODUCT_MANAGER),
        "administrator": lambda: staff_user(roles.ADMINISTRATOR),
    }[role]()
    client = Client()
    client.force_login(user)
    return client


def url(name: str) -> str:
    if name == "wagtailsettings:edit":
        pk = CommunitySettings.load().pk
        return reverse(name, args=["community", "communitysettings", pk])
    return reverse(name)


@pytest.mark.parametrize("role", ALLOWED)
@pytest.mark.parametrize("screen", SCREENS)
def test_role_matrix(role, screen):
    name, kind = SCREENS[screen]
    response = signed_in(role).get(url(name))
    if kind in ALLOWED[role]:
        assert response.status_code == 200, (role, screen)
    elif role in ("member", "staff responder"):
        # Not in the admin at all: sent to sign in (which says they lack a role).
        assert response.status_code == 302 and "/login/" in response["Location"], (role, screen)
    else:
        # In the admin, but not this screen: Wagtail refuses and sends them elsewhere.
        assert response.status_code in (302, 403), (role, screen)
        if response.status_code == 302:
            assert not response["Location"].startswith(url(name)), (role, screen)
            assert "/login/" not in response["Location"], (role, screen)


def test_product_areas_are_searched_and_edited_with_owner_team_and_default_assignee():
    from django.contrib.auth.models import Group

    CategoryFactory(name="Laptops", description="Batteries, screens and keyboards")
    CategoryFactory(name="Phones", description="Cameras")
    client = signed_in("product manager")
    found = client.get(url("wagtailsnippets_ideas_category:list"), {"q": "keyboards"})
    assert "Laptops" in found.content.decode() and "Phones" not in found.content.decode()

    team = Group.objects.create(name="Laptop team")
    owner = staff_user(roles.STAFF_RESPONDER, display_name="Ria Owner")
    response = client.post(
        url("wagtailsnippets_ideas_category:add"),
        {
            "name": "Docks",
            "slug": "docks",
            "description": "Docking stations",
            "owner_team": team.pk,
            "default_assignee": owner.pk,
            "position": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    docks = Category.objects.get(slug="docks")
    assert (docks.owner_team, docks.default_assignee) == (team, owner)
    # New ideas in the area go to its default assignee.
    assert make_idea(category=docks).owner == owner


def test_a_member_cannot_be_made_default_assignee():
    member = UserFactory()
    response = signed_in("product manager").post(
        url("wagtailsnippets_ideas_category:add"),
        {"name": "Docks", "slug": "docks", "default_assignee": member.pk, "position": 0},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Category.objects.filter(slug="docks").exists()


def test_status_labels_change_what_the_badges_say(client, django_capture_on_commit_callbacks):
    idea = make_idea()
    assert ">New</span>" in client.get(idea.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in("product manager").post(
            url("wagtailsnippets_ideas_statuslabel:add"),
            {"status": "new", "label": "Just in", "help_text": "We read it within a day."},
        )
    assert response.status_code == 302
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'title="We read it within a day.">Just in</span>' in page
    assert StatusLabel.objects.get(status="new").label == "Just in"


def test_tags_are_renamed_and_merged_and_the_ideas_follow(django_capture_on_commit_callbacks):
    one = make_idea(tags=["batery", "battery"])
    two = make_idea(tags=["batery"])
    three = make_idea(tags=["power"])
    client = signed_in("community manager")
    typo, right = Tag.objects.get(name="batery"), Tag.objects.get(name="battery")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("wagtailsnippets_taggit_tag:merge"), {"tags": [typo.pk], "into": right.pk}
        )
    assert response.status_code == 302
    assert not Tag.objects.filter(name="batery").exists()
    assert sorted(one.tags.names()) == ["battery"]  # one copy, not two
    assert sorted(two.tags.names()) == ["battery"]
    assert sorted(three.tags.names()) == ["power"]

    power = Tag.objects.get(name="power")
    response = client.post(
        reverse("wagtailsnippets_taggit_tag:edit", args=[power.pk]), {"name": "Power use"}
    )
    assert response.status_code == 302
    assert sorted(three.tags.names()) == ["Power use"]


def test_tag_renames_and_merges_are_in_the_audit_log_with_who_and_what():
    make_idea(tags=["batery", "battery"])
    make_idea(tags=["batery"])
    typo, right = Tag.objects.get(name="batery"), Tag.objects.get(name="battery")
    manager = staff_user(roles.COMMUNITY_MANAGER, display_name="Casey Moore")

    tag_services.tag_merge(actor=manager, tag_ids=[typo.pk], into_id=right.pk)
    tag_services.tag_rename(actor=manager, tag_id=right.pk, name="Battery life")
    with pytest.raises(InvalidInput):  # refused: nothing is recorded
        tag_services.tag_merge(actor=manager, tag_ids=[right.pk], into_id=right.pk)

    merge, rename = AuditEntry.objects.order_by("pk")
    assert (merge.action, merge.actor, merge.target_id) == ("tag_merge", manager, right.pk)
    assert merge.before == {"tags": ["batery"]}
    assert merge.after == {"into": "battery", "ideas_retagged": 2}
    assert (rename.action, rename.actor) == ("tag_rename", manager)
    assert rename.before == {"name": "battery", "slug": "battery"}
    assert rename.after == {"name": "Battery life", "slug": "battery-life"}
    log = signed_in("administrator").get("/staff/audit/").content.decode()
    assert "Merged tags" in log and "Renamed a tag" in log


def test_merging_a_tag_into_itself_is_refused_with_a_message():
    make_idea(tags=["power"])
    power = Tag.objects.get(name="power")
    response = signed_in("product manager").post(
        url("wagtailsnippets_taggit_tag:merge"), {"tags": [power.pk], "into": power.pk}
    )
    assert response.status_code == 400
    assert "Choose at least one other tag" in response.content.decode()


def test_tag_services_check_permissions():
    from community.core.exceptions import NotAllowed

    make_idea(tags=["a-tag", "b-tag"])
    a, b = Tag.objects.get(name="a-tag"), Tag.objects.get(name="b-tag")
    with pytest.raises(NotAllowed):
        tag_services.tag_merge(
            actor=staff_user(roles.STAFF_RESPONDER), tag_ids=[a.pk], into_id=b.pk
        )
    with pytest.raises(NotAllowed):
        tag_services.tag_rename(actor=UserFactory(), tag_id=a.pk, name="x")


def test_community_settings_default_to_the_deployment_and_saving_takes_effect_at_once(
    settings, django_capture_on_commit_callbacks
):
    settings.IDEA_RESPONSE_TARGET_HOURS = 48
    assert configuration.current().response_target_hours == 48
    assert response_target().total_seconds() == 48 * 3600
    assert configuration.current().rate_limits["vote"] == tuple(settings.RATE_LIMITS["vote"])

    client = signed_in("product manager")
    page = client.get(url("wagtailsettings:edit"))
    assert "Empty: the deployment" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("wagtailsettings:edit"),
            {
                "response_target_hours": "24",
                "idea_edit_window_minutes": "",
                "comment_edit_window_minutes": "5",
                "rate_limit_vote": "100",
                "rate_limit_vote_new": "",
                "near_copy_threshold": "0.7",
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    now = configuration.current()
    assert now.response_target_hours == 24
    assert response_target().total_seconds() == 24 * 3600
    assert now.idea_edit_window_minutes == settings.IDEA_EDIT_WINDOW_MINUTES
    assert now.comment_edit_window_minutes == 5
    assert now.rate_limits["vote"] == (100, settings.RATE_LIMITS["vote"][1])
    assert now.near_copy_threshold == 0.7
    assert CommunitySettings.objects.count() == 1


def test_community_settings_refuse_a_threshold_outside_0_to_1():
    """A bad value is a form error, never a 500, and nothing is saved."""
    response = signed_in("administrator").post(
        url("wagtailsettings:edit"), {"near_copy_threshold": "3"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "near_copy_threshold" in response.context["form"].errors
    assert not CommunitySettings.objects.exclude(near_copy_threshold=None).exists()

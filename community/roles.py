"""The community's roles, each a Django group.

The groups are created by a data migration so that every database has them;
what each role may do lives in `permissions.py` and is enforced by services.
"""

from django.utils.translation import gettext_noop

# The group names, in English; pages show them translated (`{% translate comment.author_role %}`).
MEMBER = gettext_noop("Member")
STAFF_RESPONDER = gettext_noop("Staff responder")
PRODUCT_MANAGER = gettext_noop("Product manager")
COMMUNITY_MANAGER = gettext_noop("Community manager")
ADMINISTRATOR = gettext_noop("Administrator")

ALL_ROLES = [MEMBER, STAFF_RESPONDER, PRODUCT_MANAGER, COMMUNITY_MANAGER, ADMINISTRATOR]
# Roles whose holders answer ideas in the company's name.
STAFF_ROLES = [STAFF_RESPONDER, PRODUCT_MANAGER, COMMUNITY_MANAGER, ADMINISTRATOR]

# What each role may do, as Django permissions ("app_label.codename"). A data
# migration gives each group these; code asks `user.has_perm(...)`.
TRIAGE = "ideas.triage_idea"
RESPOND = "ideas.respond_idea"
SET_STATUS = "ideas.set_idea_status"
ASSIGN = "ideas.assign_idea"
MERGE = "ideas.merge_idea"
VIEW_HIDDEN = "ideas.view_hidden_idea"
MODERATE = "ideas.moderate_idea"
SUSPEND = "community.suspend_member"
READ_AUDIT_LOG = "community.view_auditentry"

# The Wagtail admin screens for what product teams configure (cms/wagtail_hooks.py).
ACCESS_ADMIN = "wagtailadmin.access_admin"
EDIT_AREAS = {"ideas.add_category", "ideas.change_category"}
DELETE_AREAS = "ideas.delete_category"
EDIT_STATUS_LABELS = {"ideas.add_statuslabel", "ideas.change_statuslabel"}
EDIT_TAGS = {"taggit.change_tag", "taggit.delete_tag"}
EDIT_SETTINGS = "community.change_communitysettings"
PRODUCT_TEAM_ADMIN = {ACCESS_ADMIN, *EDIT_AREAS, *EDIT_STATUS_LABELS, *EDIT_TAGS, EDIT_SETTINGS}

ROLE_PERMISSIONS: dict[str, set[str]] = {
    MEMBER: set(),
    STAFF_RESPONDER: {TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN},
    PRODUCT_MANAGER: {TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN, ASSIGN, MERGE, *PRODUCT_TEAM_ADMIN},
    COMMUNITY_MANAGER: {
        TRIAGE, RESPOND, VIEW_HIDDEN, MERGE, MODERATE, SUSPEND, ACCESS_ADMIN, *EDIT_TAGS,
    },
    ADMINISTRATOR: {
        TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN, ASSIGN, MERGE, MODERATE, SUSPEND, READ_AUDIT_LOG,
        *PRODUCT_TEAM_ADMIN, DELETE_AREAS,
    },
}  # fmt: skip


def role_group(role: str):
    """The role's group with its permissions, created if a test flushed it."""
    from django.contrib.auth.models import Group, Permission

    group, created = Group.objects.get_or_create(name=role)
    if created or not group.permissions.exists():
        for perm in ROLE_PERMISSIONS[role]:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group

"""Give each role group its permissions, so every database has the same matrix."""

from django.db import migrations

# Frozen copy of community.roles.ROLE_PERMISSIONS: migrations must not follow later edits.
TRIAGE = ("ideas", "idea", "triage_idea")
RESPOND = ("ideas", "idea", "respond_idea")
SET_STATUS = ("ideas", "idea", "set_idea_status")
ASSIGN = ("ideas", "idea", "assign_idea")
MERGE = ("ideas", "idea", "merge_idea")
VIEW_HIDDEN = ("ideas", "idea", "view_hidden_idea")
MODERATE = ("ideas", "idea", "moderate_idea")
SUSPEND = ("community", "user", "suspend_member")
READ_AUDIT_LOG = ("community", "auditentry", "view_auditentry")

NAMES = {
    "triage_idea": "Can use the triage inbox, the overdue board and staff figures",
    "respond_idea": "Can post official responses",
    "set_idea_status": "Can change an idea's status",
    "assign_idea": "Can assign an idea's owner and product area",
    "merge_idea": "Can merge duplicate ideas",
    "view_hidden_idea": "Can see hidden and withdrawn ideas",
    "moderate_idea": "Can hide, restore, edit and lock ideas and comments",
    "suspend_member": "Can suspend members and hide their content in bulk",
    "view_auditentry": "Can view audit entry",
}

ROLE_PERMISSIONS = {
    "Member": [],
    "Staff responder": [TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN],
    "Product manager": [TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN, ASSIGN, MERGE],
    "Community manager": [TRIAGE, RESPOND, VIEW_HIDDEN, MERGE, MODERATE, SUSPEND],
    "Administrator": [
        TRIAGE, RESPOND, SET_STATUS, VIEW_HIDDEN, ASSIGN, MERGE, MODERATE, SUSPEND, READ_AUDIT_LOG,
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # Permissions are normally created after migrations run; create them here
    # so the groups can hold them on a fresh database.
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for app_label, model, codename in perms:
            content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=codename,
                defaults={"name": NAMES[codename]},
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_moderation_and_audit"),
        ("ideas", "0004_triage_moderation_and_merging"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

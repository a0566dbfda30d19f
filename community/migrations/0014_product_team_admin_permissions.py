"""Let product teams and community managers into the Wagtail admin for what they configure.

Product managers edit product areas, status labels, tags and the community
settings; community managers rename and merge tags; administrators do all of
it. Staff responders and members get nothing here.
"""

from django.db import migrations

# Frozen copy of the additions to community.roles.ROLE_PERMISSIONS.
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin")
ADD_AREA = ("ideas", "category", "add_category")
CHANGE_AREA = ("ideas", "category", "change_category")
DELETE_AREA = ("ideas", "category", "delete_category")
ADD_STATUS_LABEL = ("ideas", "statuslabel", "add_statuslabel")
CHANGE_STATUS_LABEL = ("ideas", "statuslabel", "change_statuslabel")
CHANGE_TAG = ("taggit", "tag", "change_tag")
DELETE_TAG = ("taggit", "tag", "delete_tag")
CHANGE_SETTINGS = ("community", "communitysettings", "change_communitysettings")

NAMES = {
    "access_admin": "Can access Wagtail admin",
    "add_category": "Can add product area",
    "change_category": "Can change product area",
    "delete_category": "Can delete product area",
    "add_statuslabel": "Can add status label",
    "change_statuslabel": "Can change status label",
    "change_tag": "Can change tag",
    "delete_tag": "Can delete tag",
    "change_communitysettings": "Can change community settings",
}

PRODUCT_TEAM = [
    ACCESS_ADMIN, ADD_AREA, CHANGE_AREA, ADD_STATUS_LABEL, CHANGE_STATUS_LABEL,
    CHANGE_TAG, DELETE_TAG, CHANGE_SETTINGS,
]  # fmt: skip
ADDED = {
    "Product manager": PRODUCT_TEAM,
    "Community manager": [ACCESS_ADMIN, CHANGE_TAG, DELETE_TAG],
    "Administrator": [*PRODUCT_TEAM, DELETE_AREA],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for role, perms in ADDED.items():
        group, _created = Group.objects.get_or_create(name=role)
        for app_label, model, codename in perms:
            content_type, _created = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )
            permission, _created = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": NAMES[codename]}
            )
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ADDED.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        codenames = [codename for _app, _model, codename in perms]
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0013_community_settings"),
        ("ideas", "0007_product_area_owners_and_status_labels"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # Wagtail gives every group with admin access "choose" permissions on documents
        # and images; those migrations run first, so the roles get exactly this matrix.
        ("wagtaildocs", "0011_add_choose_permissions"),
        ("wagtailimages", "0023_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

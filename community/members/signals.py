"""Rights that change outside the services: Django's and Wagtail's admin add members
to groups, take roles away and switch superusers off by saving the rows themselves.
Everything that reads a member's rights per request follows at once; the sockets a
member has open are told to ask again (`realtime.api.members_rights_changed`)."""

from realtime import api as realtime

# Fields of the user row that grant or take away what a member may see.
RIGHTS_FIELDS = {"is_active", "is_superuser", "is_staff"}


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """`m2m_changed` on the user's groups, from either side (`user.groups`,
    `group.user_set`)."""
    if action == "pre_clear" and reverse:
        # A group emptied: who was in it is known only before the rows go.
        instance._members_cleared = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        user_ids = [instance.pk]
    elif action == "post_clear":
        user_ids = getattr(instance, "_members_cleared", [])
    else:
        user_ids = list(pk_set or ())
    realtime.members_rights_changed(user_ids=user_ids)


def account_saved(sender, instance, created, update_fields, **kwargs) -> None:
    """`post_save` on the user: a save that may change their rights (not, say, the
    last sign-in time) tells their sockets."""
    if created or (update_fields is not None and not RIGHTS_FIELDS & set(update_fields)):
        return
    realtime.members_rights_changed(user_ids=[instance.pk])

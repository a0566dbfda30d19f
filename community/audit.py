"""The audit log: every staff and moderator action, who, what, when, before and after.

Services call `audit_record` inside their own transaction, so an action and its
entry are written together or not at all.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from community.models import AuditEntry


class Action(models.TextChoices):
    STATUS_CHANGE = "status_change", _("Changed status")
    OFFICIAL_RESPONSE = "official_response", _("Posted an official response")
    ASSIGN = "assign", _("Assigned")
    MERGE = "merge", _("Merged a duplicate")
    IDEA_HIDE = "idea_hide", _("Hid an idea")
    IDEA_RESTORE = "idea_restore", _("Restored an idea")
    IDEA_EDIT = "idea_edit", _("Edited an idea")
    COMMENT_HIDE = "comment_hide", _("Hid a comment")
    COMMENT_RESTORE = "comment_restore", _("Restored a comment")
    COMMENT_EDIT = "comment_edit", _("Edited a comment")
    COMMENT_REMOVE = "comment_remove", _("Removed a comment")
    THREAD_LOCK = "thread_lock", _("Locked a thread")
    THREAD_UNLOCK = "thread_unlock", _("Unlocked a thread")
    FLAGS_DISMISS = "flags_dismiss", _("Dismissed flags")
    MEMBER_SUSPEND = "member_suspend", _("Suspended a member")
    MEMBER_UNSUSPEND = "member_unsuspend", _("Lifted a suspension")
    MEMBER_CONTENT_HIDE = "member_content_hide", _("Hid a member's content")
    VOTE_RING_REVIEW = "vote_ring_review", _("Reviewed a voting ring")
    TAG_RENAME = "tag_rename", _("Renamed a tag")
    TAG_MERGE = "tag_merge", _("Merged tags")
    WEBHOOK_CREATE = "webhook_create", _("Added a webhook endpoint")
    WEBHOOK_EDIT = "webhook_edit", _("Edited a webhook endpoint")
    WEBHOOK_SWITCH_ON = "webhook_switch_on", _("Switched a webhook endpoint on")
    WEBHOOK_SWITCH_OFF = "webhook_switch_off", _("Switched a webhook endpoint off")
    WEBHOOK_SECRET_ROTATE = "webhook_secret_rotate", _("Gave a webhook endpoint a new secret")
    WEBHOOK_DELETE = "webhook_delete", _("Deleted a webhook endpoint")
    WEBHOOK_REDELIVER = "webhook_redeliver", _("Redelivered a webhook")


def audit_record(
    *,
    actor,
    action: Action,
    target: models.Model,
    now: datetime,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_label=str(target)[:200],
        before=before or {},
        after=after or {},
        reason=reason,
        created_at=now,
    )

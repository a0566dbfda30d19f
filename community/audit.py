"""The audit log: every staff and moderator action, who, what, when, before and after.

Services call `audit_record` inside their own transaction, so an action and its
entry are written together or not at all.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models

from community.models import AuditEntry


class Action(models.TextChoices):
    STATUS_CHANGE = "status_change", "Changed status"
    OFFICIAL_RESPONSE = "official_response", "Posted an official response"
    ASSIGN = "assign", "Assigned"
    MERGE = "merge", "Merged a duplicate"
    IDEA_HIDE = "idea_hide", "Hid an idea"
    IDEA_RESTORE = "idea_restore", "Restored an idea"
    IDEA_EDIT = "idea_edit", "Edited an idea"
    COMMENT_HIDE = "comment_hide", "Hid a comment"
    COMMENT_RESTORE = "comment_restore", "Restored a comment"
    COMMENT_EDIT = "comment_edit", "Edited a comment"
    COMMENT_REMOVE = "comment_remove", "Removed a comment"
    THREAD_LOCK = "thread_lock", "Locked a thread"
    THREAD_UNLOCK = "thread_unlock", "Unlocked a thread"
    FLAGS_DISMISS = "flags_dismiss", "Dismissed flags"
    MEMBER_SUSPEND = "member_suspend", "Suspended a member"
    MEMBER_UNSUSPEND = "member_unsuspend", "Lifted a suspension"
    MEMBER_CONTENT_HIDE = "member_content_hide", "Hid a member's content"
    VOTE_RING_REVIEW = "vote_ring_review", "Reviewed a voting ring"


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

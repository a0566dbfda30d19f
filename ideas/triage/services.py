"""Triage: giving an idea an owner and a product area, and acting on several at once."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import permissions, roles
from community.audit import Action, audit_record
from community.core.exceptions import DomainError, InvalidInput, NotAllowed
from community.models import Notification
from ideas import events
from ideas.events import idea_changed
from ideas.models import Category, Idea
from ideas.services.idea import idea_status_change
from ideas.services.rules import lock_idea
from ideas.triage.selectors import awaiting_answer, overdue_since

BULK_MAX = 100
UNCHANGED = object()


def _staff_owner(owner_id: int):
    owner = get_user_model().objects.filter(pk=owner_id, is_active=True).first()
    if owner is None or not owner.has_perm(roles.TRIAGE):
        raise InvalidInput(_("Ideas can only be assigned to a member of staff."))
    return owner


@transaction.atomic
def idea_assign(
    *,
    actor,
    idea_id: int,
    owner_id=UNCHANGED,
    category_id=UNCHANGED,
    now: datetime | None = None,
) -> Idea:
    """Set who owns the answer (None: nobody) and the product area. The idea is locked."""
    if not permissions.can_assign(actor):
        raise NotAllowed(_("Only product managers can assign ideas."))
    now = now or timezone.now()
    idea = lock_idea(idea_id)
    before = {"owner": idea.owner_id, "category": idea.category_id}
    if owner_id is not UNCHANGED:
        idea.owner = _staff_owner(owner_id) if owner_id is not None else None
    if category_id is not UNCHANGED:
        category = Category.objects.filter(pk=category_id).first()
        if category is None:
            raise InvalidInput(_("That product area does not exist."))
        idea.category = category
    after = {"owner": idea.owner_id, "category": idea.category_id}
    if after == before:
        return idea
    idea.save(update_fields=["owner", "category"])
    audit_record(
        actor=actor, action=Action.ASSIGN, target=idea, now=now, before=before, after=after
    )
    if idea.owner is not None and after["owner"] != before["owner"]:
        events.idea_assigned(idea, owner=idea.owner, actor=actor, now=now)
    if after["category"] != before["category"]:
        idea_changed(idea.pk)
    return idea


@transaction.atomic
def ideas_bulk_update(
    *,
    actor,
    idea_ids: list[int],
    owner_id=UNCHANGED,
    category_id=UNCHANGED,
    to_status: str | None = None,
    message: str = "",
    now: datetime | None = None,
) -> int:
    """Assign and/or change the status of several ideas: all of them, or none.

    Each idea goes through the same service as a single change, so each gets its
    own status event, notifications and audit entry.
    """
    idea_ids = sorted(set(idea_ids))
    if not idea_ids:
        raise InvalidInput(_("Select at least one idea."))
    if len(idea_ids) > BULK_MAX:
        raise InvalidInput(
            _("Select at most %(BULK_MAX)s ideas at a time.") % {"BULK_MAX": BULK_MAX}
        )
    if owner_id is UNCHANGED and category_id is UNCHANGED and not to_status:
        raise InvalidInput(_("Choose what to change: an owner, a product area or a status."))
    now = now or timezone.now()
    found = {
        row[0]: row[1:]
        for row in Idea.objects.filter(pk__in=idea_ids).values_list("pk", "title", "status")
    }
    for idea_id in idea_ids:
        try:
            if owner_id is not UNCHANGED or category_id is not UNCHANGED:
                idea_assign(
                    actor=actor,
                    idea_id=idea_id,
                    owner_id=owner_id,
                    category_id=category_id,
                    now=now,
                )
            # An idea already in the chosen status is left as it is.
            if to_status and idea_id in found and found[idea_id][1] != to_status:
                idea_status_change(
                    actor=actor, idea_id=idea_id, to_status=to_status, message=message, now=now
                )
        except DomainError as error:
            title = found[idea_id][0] if idea_id in found else f"#{idea_id}"
            error.message = f"“{title}”: {error.message} Nothing was changed."
            error.args = (error.message,)
            raise
    return len(idea_ids)


def overdue_notify(*, now: datetime | None = None) -> int:
    """Tell each overdue idea's owner once that it passed the response target.

    Run by the scheduler; the notification row is the record that the owner
    was told, so running it again tells nobody twice.
    """
    now = now or timezone.now()
    told = Notification.objects.filter(kind=Notification.Kind.OVERDUE).values("idea_id")
    ideas = (
        awaiting_answer()
        .filter(created_at__lt=overdue_since(now), owner__isnull=False)
        .exclude(pk__in=told)
    )
    count = 0
    for idea in ideas[:500]:
        with transaction.atomic():
            events.idea_overdue(idea, now=now)
        count += 1
    return count

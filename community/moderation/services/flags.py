"""Members flag ideas and comments; moderators dismiss flags that need no action."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community import abuse
from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from community.moderation.models import Flag
from community.moderation.services.rules import (
    FLAG_TEXT_MAX,
    clean_reason,
    idea_flags,
    require_moderator,
    resolve_flags,
)
from community.permissions import require_participant
from ideas import permissions
from ideas.exceptions import CommentNotFound, IdeaClosed
from ideas.models import Comment, Idea, Visibility
from ideas.services.rules import lock_comment, lock_idea


def flag_allowed(reporter, *, idea: Idea, comment: Comment | None) -> None:
    """Refuse, with the reason, a flag on what is no longer shown or on one's own words.

    The flag form asks this before it shows the text it quotes, so a hidden
    comment or idea is never quoted to a member (the service asks it again).
    """
    require_participant(reporter)
    if idea.visibility != Visibility.PUBLISHED:
        raise IdeaClosed(_("This idea is no longer shown, so there is nothing to flag."))
    if comment is not None:
        if comment.idea_id != idea.pk or comment.is_removed:
            raise CommentNotFound()
        if comment.is_hidden:
            raise IdeaClosed(_("A moderator already hid this comment."))
    author_id = comment.author_id if comment else idea.author_id
    if not permissions.can_flag(reporter, author_id):
        raise NotAllowed(
            _("You cannot flag your own comment; you can edit or remove it instead.")
            if comment
            else _("You cannot flag your own idea; you can edit or remove it instead.")
        )


@transaction.atomic
def flag_create(
    *,
    reporter,
    idea_id: int,
    comment_id: int | None = None,
    reason: str,
    text: str = "",
    now: datetime | None = None,
) -> Flag:
    """A member reports an idea or a comment to the moderators, once per item.

    The idea's row is locked, so a double submission waits and finds the
    first flag; the flag is not an audit entry (members are not staff).
    """
    require_participant(reporter)
    now = now or timezone.now()
    if reason not in Flag.Reason.values:
        raise InvalidInput(_("Choose why you are flagging this."))
    text = (text or "").strip()
    if len(text) > FLAG_TEXT_MAX:
        raise InvalidInput(
            _("The note can be at most %(FLAG_TEXT_MAX)s characters long.")
            % {"FLAG_TEXT_MAX": FLAG_TEXT_MAX}
        )
    idea = lock_idea(idea_id)
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, idea=idea).first()
        if comment is None:
            raise CommentNotFound()
    flag_allowed(reporter, idea=idea, comment=comment)
    if Flag.objects.filter(reporter=reporter, idea=idea, comment=comment).exists():
        raise InvalidInput(
            _("You already flagged this comment; a moderator will look at it.")
            if comment
            else _("You already flagged this idea; a moderator will look at it.")
        )
    abuse.rate_check(
        reporter,
        kind="flag",
        rows=Flag.objects.filter(reporter=reporter),
        field="created_at",
        now=now,
    )
    return Flag.objects.create(
        reporter=reporter, idea=idea, comment=comment, reason=reason, text=text, created_at=now
    )


@transaction.atomic
def flags_dismiss(
    *,
    actor,
    idea_id: int,
    comment_id: int | None = None,
    reason: str,
    now: datetime | None = None,
) -> list[int]:
    """Close an item's open flags without acting on it; returns the flags' ids."""
    require_moderator(actor)
    reason = clean_reason(reason)
    now = now or timezone.now()
    if comment_id is not None:
        _comment_idea, target = lock_comment(comment_id)
        if target.idea_id != idea_id:
            raise CommentNotFound()
        flags = Flag.objects.filter(comment=target)
    else:
        target = lock_idea(idea_id)
        flags = idea_flags(target.pk)
    ids = resolve_flags(flags, actor=actor, now=now, resolution=Flag.Resolution.DISMISSED)
    if not ids:
        raise InvalidInput(_("There are no open flags on this to dismiss."))
    audit_record(
        actor=actor,
        action=Action.FLAGS_DISMISS,
        target=target,
        now=now,
        before={"open_flags": ids},
        after={"open_flags": [], "resolution": Flag.Resolution.DISMISSED},
        reason=reason,
    )
    return ids

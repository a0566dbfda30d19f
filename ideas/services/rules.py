"""Checks and clean-ups every write in the ideas domain shares."""

import re
import unicodedata
from datetime import datetime, timedelta

from django.db.models import F
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from community.core.exceptions import InvalidInput
from community.permissions import in_audience
from ideas.exceptions import CommentNotFound, IdeaClosed, IdeaNotFound
from ideas.models import Comment, Follow, Idea, Status
from ideas.permissions import votes_closed_reason

TITLE_MIN, TITLE_MAX = 10, 140
BODY_MAX = 10_000
COMMENT_MAX = 5_000
TAGS_MAX = 5
VOTE_VALUES = (1, 0, -1)

# Where an idea may go from each status. Staff may also reopen a decision.
# "Duplicate" is reached only by merging (see services.merge), never left.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.UNDER_REVIEW, Status.PLANNED, Status.NOT_PLANNED, Status.ARCHIVED},
    Status.UNDER_REVIEW: {Status.PLANNED, Status.NOT_PLANNED, Status.ARCHIVED, Status.NEW},
    Status.PLANNED: {Status.IN_PROGRESS, Status.UNDER_REVIEW, Status.NOT_PLANNED, Status.ARCHIVED},
    Status.IN_PROGRESS: {
        Status.SHIPPED, Status.PARTIALLY_SHIPPED, Status.PLANNED, Status.NOT_PLANNED,
    },
    Status.PARTIALLY_SHIPPED: {Status.IN_PROGRESS, Status.SHIPPED, Status.ARCHIVED},
    Status.SHIPPED: {Status.ARCHIVED, Status.IN_PROGRESS},
    Status.NOT_PLANNED: {Status.UNDER_REVIEW, Status.ARCHIVED},
    Status.DUPLICATE: set(),
    Status.ARCHIVED: {Status.UNDER_REVIEW},
}  # fmt: skip


RESUBMIT_WINDOW = timedelta(minutes=10)


def lock_idea(idea_id: int) -> Idea:
    idea = Idea.objects.select_for_update().filter(pk=idea_id).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def lock_comment(comment_id: int) -> tuple[Idea, Comment]:
    """Lock a comment and its idea, the idea first.

    Every write that changes both takes them in this one order (ideas before
    comments, as bulk moderation does), so two such writes cannot deadlock.
    """
    idea_id = Comment.objects.filter(pk=comment_id).values_list("idea_id", flat=True).first()
    if idea_id is None:
        raise CommentNotFound()
    idea = lock_idea(idea_id)
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.is_removed:
        raise CommentNotFound()
    return idea, comment


def staff_answered(idea: Idea, *, now) -> dict:
    """The field change that records a first human staff answer, if this is the first.

    An official response, a status change's public message and a merge's
    explanation each answer the customer; whichever comes first is the time the
    response target measures. Callers add it to their own update of the idea.
    """
    return {} if idea.first_staff_response_at else {"first_staff_response_at": now}


def comment_count_change(delta: int) -> dict:
    """The field change that moves an idea's visible-comment count (F(), same transaction).

    The count is of comments customers can read: posted and restored ones add
    one; removed and hidden ones take one away (a comment hidden then removed
    is counted once). `idea_counters_repair` recounts with the same rule.
    """
    return {"comment_count": F("comment_count") + delta}


def require_open(idea: Idea) -> None:
    """Only ideas visible to customers take votes and comments; each refusal says why."""
    if idea.is_visible_to_customers:
        return
    if not idea.is_published:
        raise IdeaClosed(_("This idea is no longer available, so it cannot take part."))
    if idea.status == Status.DUPLICATE:
        raise IdeaClosed(_("This idea was merged into another one; please take part there."))


def require_audience(user, idea: Idea) -> None:
    """An idea of a Storm Session limited to a group does not exist for anyone else."""
    if not in_audience(user, idea.audience_group_id):
        raise IdeaNotFound()


def require_session_audience(user, storm_session) -> None:
    """A Storm Session limited to a group does not exist for anyone else (as the pages say)."""
    if storm_session is not None and not in_audience(user, storm_session.restricted_to_id):
        raise InvalidInput(_("That Storm Session does not exist."))


def require_session_open(storm_session, now: datetime) -> None:
    """New ideas join a Storm Session only while it is open (the form asks before it shows)."""
    if storm_session is not None and not storm_session.is_open(now):
        raise InvalidInput(
            _(
                "The Storm Session “%(title)s” is not open for ideas right now: "
                "you can still share your idea outside it."
            )
            % {"title": storm_session.title}
        )


# C0 and C1 control characters except tab and newline: invalid in XML (the
# feeds), invisible on the page, and never typed on purpose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates can make a title read as
# something else ("Trojan Source"); other apps' text is shown beside it.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_text(text: str, *, single_line: bool = False) -> str:
    """The one clean-up every stored member text goes through.

    Newlines are normalised and control characters removed; a single-line
    text (a title) also loses bidi controls and every invisible format
    character (zero-width spaces and joiners, BOMs), and its whitespace is
    collapsed, so it cannot be empty-looking or read differently than typed.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL_CHARACTERS.sub("", text)
    if single_line:
        text = BIDI_CONTROLS.sub("", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = " ".join(text.split())
    return text.strip()


def require_session_votes(idea: Idea, now: datetime) -> None:
    reason = votes_closed_reason(idea, now)
    if reason:
        raise IdeaClosed(reason)


def clean_title(title: str) -> str:
    cleaned = clean_text(title, single_line=True)
    if not cleaned and (title or "").strip():
        raise InvalidInput(_("The title has no visible characters."))
    title = cleaned
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(
            _("The title must be %(TITLE_MIN)s to %(TITLE_MAX)s characters long.")
            % {"TITLE_MIN": TITLE_MIN, "TITLE_MAX": TITLE_MAX}
        )
    return title


# Whole sentences per kind of text, so each language can say them its own way.
_BODY_EMPTY = {
    "description": _lazy("The description cannot be empty."),
    "comment": _lazy("The comment cannot be empty."),
    "message": _lazy("The message cannot be empty."),
}
_BODY_TOO_LONG = {
    "description": _lazy("The description can be at most %(limit)s characters long."),
    "comment": _lazy("The comment can be at most %(limit)s characters long."),
    "message": _lazy("The message can be at most %(limit)s characters long."),
}


def clean_body(body: str, *, limit: int, what: str) -> str:
    """`what` is "description", "comment" or "message": it picks the error's wording."""
    body = clean_text(body)
    if not body:
        raise InvalidInput(str(_BODY_EMPTY[what]))
    if len(body) > limit:
        raise InvalidInput(
            str(_BODY_TOO_LONG[what]) % {"limit": number_format(limit, force_grouping=True)}
        )
    return body


def clean_tags(tags: list[str]) -> list[str]:
    cleaned = sorted(
        {tag.lower() for tag in (clean_text(t, single_line=True) for t in tags) if tag}
    )
    if len(cleaned) > TAGS_MAX:
        raise InvalidInput(_("Use at most %(TAGS_MAX)s tags.") % {"TAGS_MAX": TAGS_MAX})
    if any(len(t) > 30 for t in cleaned):
        raise InvalidInput(_("Each tag can be at most 30 characters long."))
    return cleaned


def follow(user, idea: Idea) -> None:
    Follow.objects.get_or_create(idea=idea, user=user)

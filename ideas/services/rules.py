"""Checks and clean-ups every write in the ideas domain shares."""

import re
import unicodedata
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model

from ideas import permissions
from ideas.exceptions import IdeaClosed, IdeaNotFound, InvalidInput, NotAllowed
from ideas.models import Follow, Idea, Status

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


def require_participant(user) -> None:
    if not permissions.is_member(user):
        raise NotAllowed("Please sign in first.")
    if not user.has_verified_email:
        raise NotAllowed("Please confirm your email address first; we sent you a link.")
    suspension = user.active_suspension
    if suspension is not None:
        until = (
            f"until {suspension.ends_at:%d %B %Y, %H:%M} UTC" if suspension.ends_at else "for good"
        )
        raise NotAllowed(
            f"Your account is suspended {until}: {suspension.reason} "
            "You can still read the community."
        )


RESUBMIT_WINDOW = timedelta(minutes=10)


def lock_member(user) -> None:
    """Serialise one member's posts, so a second copy in flight sees the first."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def lock_idea(idea_id: int) -> Idea:
    idea = Idea.objects.select_for_update().filter(pk=idea_id).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def require_open(idea: Idea) -> None:
    if idea.visibility != "published":
        raise IdeaClosed("This idea is no longer available, so it cannot take part.")
    if idea.status == Status.DUPLICATE:
        raise IdeaClosed("This idea was merged into another one; please take part there.")


def require_session_votes(idea: Idea, now: datetime) -> None:
    if idea.storm_session_id is None:
        return
    if not idea.storm_session.takes_votes(now):
        raise IdeaClosed(
            f"Voting in the Storm Session “{idea.storm_session.title}” ended with the session."
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


def clean_title(title: str) -> str:
    cleaned = clean_text(title, single_line=True)
    if not cleaned and (title or "").strip():
        raise InvalidInput("The title has no visible characters.")
    title = cleaned
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(f"The title must be {TITLE_MIN} to {TITLE_MAX} characters long.")
    return title


def clean_body(body: str, *, limit: int, what: str) -> str:
    body = clean_text(body)
    if not body:
        raise InvalidInput(f"The {what} cannot be empty.")
    if len(body) > limit:
        raise InvalidInput(f"The {what} can be at most {limit:,} characters long.")
    return body


def clean_tags(tags: list[str]) -> list[str]:
    cleaned = sorted(
        {tag.lower() for tag in (clean_text(t, single_line=True) for t in tags) if tag}
    )
    if len(cleaned) > TAGS_MAX:
        raise InvalidInput(f"Use at most {TAGS_MAX} tags.")
    if any(len(t) > 30 for t in cleaned):
        raise InvalidInput("Each tag can be at most 30 characters long.")
    return cleaned


def follow(user, idea: Idea) -> None:
    Follow.objects.get_or_create(idea=idea, user=user)

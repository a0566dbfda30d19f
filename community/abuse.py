"""Abuse limits: how much one member may post, vote and flag, and a simple spam check.

Limits are counted from the rows the member already wrote (ideas, comments,
votes, flags) over a rolling hour, so they need no extra state and hold across
processes. Accounts younger than NEW_ACCOUNT_DAYS get stricter limits; members
with a staff role are exempt. The domain services call these inside their
transaction after their own double-submission check (a retried request returns
the first item and must not trip a limit), with the member's row locked so two
requests in flight cannot both take the last allowance.
"""

import math
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from voting.models import Vote

from community.models import Flag
from ideas.exceptions import LooksLikeSpam, RateLimited
from ideas.models import Comment, Idea
from ideas.services.rules import lock_member

WINDOW = timedelta(hours=1)
# A link is a URL with a scheme or a bare "www." address.
LINK = re.compile(r"(?:https?://|\bwww\.)", re.IGNORECASE)
VERB = {"idea": "post", "comment": "post", "vote": "cast", "flag": "send"}


def is_exempt(member) -> bool:
    return member.is_staff_member


def is_new_account(member, now: datetime) -> bool:
    return now - member.date_joined < timedelta(days=settings.NEW_ACCOUNT_DAYS)


def limit_for(member, kind: str, now: datetime) -> int:
    established, new = settings.RATE_LIMITS[kind]
    return new if is_new_account(member, now) else established


def _recent_times(member, kind: str, since: datetime, now: datetime) -> list[datetime]:
    """When the member wrote each of their `kind` rows in the window, oldest first."""
    if kind == "idea":
        rows = Idea.objects.filter(author=member, created_at__gt=since, created_at__lte=now)
        field = "created_at"
    elif kind == "comment":
        rows = Comment.objects.filter(author=member, created_at__gt=since, created_at__lte=now)
        field = "created_at"
    elif kind == "flag":
        rows = Flag.objects.filter(reporter=member, created_at__gt=since, created_at__lte=now)
        field = "created_at"
    else:
        # The promote an idea starts with from its author is not the author's doing.
        own = Idea.objects.filter(author=member, created_at__gt=since).values_list("pk", flat=True)
        rows = Vote.objects.filter(
            user=member,
            content_type=ContentType.objects.get_for_model(Idea),
            time_stamp__gt=since,
            time_stamp__lte=now,
        ).exclude(object_id__in=[str(pk) for pk in own])
        field = "time_stamp"
    return list(rows.order_by(field).values_list(field, flat=True))


def rate_check(member, kind: str, *, now: datetime) -> None:
    """Refuse the member's next `kind` if they reached their hourly limit."""
    if is_exempt(member):
        return
    lock_member(member)
    limit = limit_for(member, kind, now)
    times = _recent_times(member, kind, now - WINDOW, now)
    if len(times) < limit:
        return
    # The oldest of the last `limit` rows leaves the window first.
    retry_at = times[len(times) - limit] + WINDOW
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    who = (
        f"New accounts (younger than {settings.NEW_ACCOUNT_DAYS} days) can"
        if is_new_account(member, now)
        else "You can"
    )
    raise RateLimited(
        f"{who} {VERB[kind]} at most {limit} {kind}{'s' if limit != 1 else ''} an hour, "
        "and you have reached that. "
        f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}."
    )


def spam_check(member, *, text: str, idea_id: int | None, now: datetime) -> None:
    """Refuse text with too many links, or text the member just posted on another idea."""
    if is_exempt(member):
        return
    new = is_new_account(member, now)
    max_links = settings.SPAM_MAX_LINKS[1 if new else 0]
    links = len(LINK.findall(text))
    if links > max_links:
        who = (
            f"New accounts (younger than {settings.NEW_ACCOUNT_DAYS} days) can include"
            if new
            else "A post can include"
        )
        raise LooksLikeSpam(
            f"{who} at most {max_links} link{'s' if max_links != 1 else ''}; "
            f"this one has {links}. Please remove some links."
        )
    if len(text) < settings.SPAM_REPEAT_MIN_CHARS:
        return
    since = now - timedelta(hours=settings.SPAM_REPEAT_HOURS)
    elsewhere = ~Q(idea_id=idea_id) if idea_id is not None else Q()
    repeated = (
        Comment.objects.filter(elsewhere, author=member, body__iexact=text, deleted_at=None)
        .filter(created_at__gt=since, created_at__lte=now)
        .exists()
    ) or (
        Idea.objects.filter(author=member, body__iexact=text, created_at__gt=since)
        .filter(created_at__lte=now)
        .exclude(pk=idea_id)
        .exists()
    )
    if repeated:
        raise LooksLikeSpam(
            "You already posted this same text on another idea in the last "
            f"{settings.SPAM_REPEAT_HOURS} hours. Please write something specific to this one."
        )


def idea_check(member, *, body: str, now: datetime) -> None:
    rate_check(member, "idea", now=now)
    spam_check(member, text=body, idea_id=None, now=now)


def comment_check(member, *, idea_id: int, body: str, now: datetime) -> None:
    rate_check(member, "comment", now=now)
    spam_check(member, text=body, idea_id=idea_id, now=now)


def vote_check(member, *, idea: Idea, now: datetime) -> None:
    if member.pk != idea.author_id:
        rate_check(member, "vote", now=now)


def flag_check(member, *, now: datetime) -> None:
    rate_check(member, "flag", now=now)

"""Abuse limits: how much one member may post, vote and flag, and a simple spam check.

Limits are counted from the rows the member already wrote over a rolling hour,
so they need no extra state and hold across processes. This module knows no
domain model: callers hand it the member's rows of one kind (`rows`, with the
timestamp `field`) and, for the spam check, a way to ask "did they post this
text elsewhere since…". Accounts younger than NEW_ACCOUNT_DAYS get stricter
limits; members with a staff role are exempt. Services call these inside their
transaction after their own double-submission check (a retried request returns
the first item and must not trip a limit), and `rate_check` locks the member's
row so two requests in flight cannot both take the last allowance.
"""

import math
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community import configuration
from community.core.exceptions import LooksLikeSpam, RateLimited
from community.permissions import is_exempt_from_limits

WINDOW = timedelta(hours=1)
# How long a request may wait for the member's lock: rows stamped up to this far
# after a request's own clock were written by requests that overtook it.
LOCK_WAIT_SLACK = timedelta(minutes=5)
# A link is a URL with a scheme or a bare "www." address.
LINK = re.compile(r"(?:https?://|\bwww\.)", re.IGNORECASE)
VERB = {"idea": "post", "comment": "post", "vote": "cast", "flag": "send"}


def _limit_sentence(kind: str, limit: int, *, new: bool) -> str:
    """ "You can post at most 10 ideas an hour": whole sentences, for translators."""
    values = {"limit": limit, "days": settings.NEW_ACCOUNT_DAYS}
    if new:
        sentences = {
            "idea": ngettext(
                "New accounts (younger than %(days)s days) can post at most %(limit)s idea an hour",
                "New accounts (younger than %(days)s days) can post at most %(limit)s ideas "
                "an hour",
                limit,
            ),
            "comment": ngettext(
                "New accounts (younger than %(days)s days) can post at most %(limit)s comment "
                "an hour",
                "New accounts (younger than %(days)s days) can post at most %(limit)s comments "
                "an hour",
                limit,
            ),
            "vote": ngettext(
                "New accounts (younger than %(days)s days) can cast at most %(limit)s vote an hour",
                "New accounts (younger than %(days)s days) can cast at most %(limit)s votes "
                "an hour",
                limit,
            ),
            "flag": ngettext(
                "New accounts (younger than %(days)s days) can send at most %(limit)s flag an hour",
                "New accounts (younger than %(days)s days) can send at most %(limit)s flags "
                "an hour",
                limit,
            ),
        }
    else:
        sentences = {
            "idea": ngettext(
                "You can post at most %(limit)s idea an hour",
                "You can post at most %(limit)s ideas an hour",
                limit,
            ),
            "comment": ngettext(
                "You can post at most %(limit)s comment an hour",
                "You can post at most %(limit)s comments an hour",
                limit,
            ),
            "vote": ngettext(
                "You can cast at most %(limit)s vote an hour",
                "You can cast at most %(limit)s votes an hour",
                limit,
            ),
            "flag": ngettext(
                "You can send at most %(limit)s flag an hour",
                "You can send at most %(limit)s flags an hour",
                limit,
            ),
        }
    return sentences[kind] % values


def member_lock(member) -> None:
    """Serialise one member's writes, so a second request in flight sees the first."""
    list(get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk"))


def is_new_account(member, now: datetime) -> bool:
    return now - member.date_joined < timedelta(days=settings.NEW_ACCOUNT_DAYS)


def limit_for(member, kind: str, now: datetime) -> int:
    established, new = configuration.current().rate_limits[kind]
    return new if is_new_account(member, now) else established


def rate_check(member, *, kind: str, rows: QuerySet, field: str, now: datetime) -> None:
    """Refuse the member's next `kind` if `rows` already hold their hourly limit."""
    if is_exempt_from_limits(member):
        return
    member_lock(member)
    limit = limit_for(member, kind, now)
    since = now - WINDOW
    # Rows stamped a little after `now` count too: a request stamped later than
    # this one may have taken the member's lock first (bounding at `now` let
    # concurrent requests overshoot). Rows far "ahead" are back-dated writes
    # (demo data, imports) and are not this hour's.
    times = list(
        rows.filter(**{f"{field}__gt": since, f"{field}__lte": now + LOCK_WAIT_SLACK})
        .order_by(field)
        .values_list(field, flat=True)
    )
    if len(times) < limit:
        return
    # The oldest of the last `limit` rows leaves the window first.
    retry_at = max(times[len(times) - limit] + WINDOW, now)
    minutes = max(1, math.ceil((retry_at - now).total_seconds() / 60))
    raise RateLimited(
        _("%(limit_sentence)s, and you have reached that.")
        % {"limit_sentence": _limit_sentence(kind, limit, new=is_new_account(member, now))}
        + " "
        + ngettext(
            "Please try again in %(minutes)s minute.",
            "Please try again in %(minutes)s minutes.",
            minutes,
        )
        % {"minutes": minutes}
    )


def spam_check(
    member, *, text: str, posted_elsewhere_since: Callable[[datetime], bool], now: datetime
) -> None:
    """Refuse text with too many links, or text the member just posted somewhere else."""
    if is_exempt_from_limits(member):
        return
    new = is_new_account(member, now)
    max_links = settings.SPAM_MAX_LINKS[1 if new else 0]
    links = len(LINK.findall(text))
    if links > max_links:
        values = {"days": settings.NEW_ACCOUNT_DAYS, "max": max_links, "links": links}
        if new:
            sentence = ngettext(
                "New accounts (younger than %(days)s days) can include at most %(max)s link; "
                "this one has %(links)s. Please remove some links.",
                "New accounts (younger than %(days)s days) can include at most %(max)s links; "
                "this one has %(links)s. Please remove some links.",
                max_links,
            )
        else:
            sentence = ngettext(
                "A post can include at most %(max)s link; "
                "this one has %(links)s. Please remove some links.",
                "A post can include at most %(max)s links; "
                "this one has %(links)s. Please remove some links.",
                max_links,
            )
        raise LooksLikeSpam(sentence % values)
    if len(text) < settings.SPAM_REPEAT_MIN_CHARS:
        return
    if posted_elsewhere_since(now - timedelta(hours=settings.SPAM_REPEAT_HOURS)):
        raise LooksLikeSpam(
            _(
                "You already posted this same text on another idea in the last %(hours)s hours. "
                "Please write something specific to this one."
            )
            % {"hours": settings.SPAM_REPEAT_HOURS}
        )

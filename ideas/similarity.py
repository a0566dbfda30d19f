"""Noticing copy-paste official responses before they are posted.

Two texts are compared by their word shingles (runs of three words): the share
of shingles they have in common (Jaccard resemblance). A template reply with
only the customer's name changed scores near 1; two replies written for two
different ideas rarely pass 0.2.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from community import configuration
from ideas.models import Comment

SHINGLE_WORDS = 3
# How many recent responses to compare with: the writer's own, and the team's.
OWN_RECENT = 100
TEAM_RECENT = 300

WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[tuple[str, ...]]:
    words = WORD.findall(text.lower())
    if len(words) <= size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def resemblance(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class NearCopy:
    """The earlier official response a draft resembles, and how closely (0–1)."""

    response: Comment
    similarity: float


def near_copy_find(*, writer, draft: str, now: datetime) -> NearCopy | None:
    """The closest earlier official response by the writer or the team, if above the threshold."""
    since = now - timedelta(days=settings.NEAR_COPY_LOOKBACK_DAYS)
    recent = Comment.objects.official().filter(created_at__gte=since).order_by("-created_at")
    fields = ("id", "idea_id", "author_id", "body", "created_at")
    candidates = {c.pk: c for c in recent.filter(author=writer).only(*fields)[:OWN_RECENT]}
    candidates.update({c.pk: c for c in recent.only(*fields)[:TEAM_RECENT]})
    draft_shingles = shingles(draft)
    threshold = configuration.current().near_copy_threshold
    best: NearCopy | None = None
    for response in candidates.values():
        similarity = resemblance(draft_shingles, shingles(response.body))
        if similarity >= threshold and (best is None or similarity > best.similarity):
            best = NearCopy(response=response, similarity=similarity)
    return best

"""The abuse limits as the ideas domain applies them: what counts for each kind of post.

`community.abuse` does the counting; this module tells it which rows are the
member's ideas, comments and votes, and what "the same text elsewhere" means.
"""

from datetime import datetime

from django.db.models import Q

from community import abuse
from ideas.models import Comment, Idea, VoteChange


def _posted_elsewhere(member, *, text: str, idea_id: int | None, now: datetime):
    def ask(since: datetime) -> bool:
        elsewhere = ~Q(idea_id=idea_id) if idea_id is not None else Q()
        return (
            Comment.objects.filter(elsewhere, author=member, body__iexact=text, deleted_at=None)
            .filter(created_at__gt=since, created_at__lte=now)
            .exists()
        ) or (
            Idea.objects.filter(author=member, body__iexact=text, created_at__gt=since)
            .filter(created_at__lte=now)
            .exclude(pk=idea_id)
            .exists()
        )

    return ask


def text_check(member, *, text: str, idea_id: int | None, now: datetime) -> None:
    """The spam check for any text a member writes on an idea (posts and edits alike)."""
    abuse.spam_check(
        member,
        text=text,
        posted_elsewhere_since=_posted_elsewhere(member, text=text, idea_id=idea_id, now=now),
        now=now,
    )


def idea_check(member, *, body: str, now: datetime) -> None:
    abuse.rate_check(
        member, kind="idea", rows=Idea.objects.filter(author=member), field="created_at", now=now
    )
    text_check(member, text=body, idea_id=None, now=now)


def comment_check(member, *, idea_id: int, body: str, now: datetime) -> None:
    abuse.rate_check(
        member,
        kind="comment",
        rows=Comment.objects.filter(author=member),
        field="created_at",
        now=now,
    )
    text_check(member, text=body, idea_id=idea_id, now=now)


def vote_check(member, *, idea: Idea, now: datetime) -> None:
    """Count the member's vote changes (promotes, demotes and withdrawals alike), so
    flipping one vote back and forth meets the limit as surely as voting on many.
    The promote an idea starts with from its author is not the author's doing, and
    votes on one's own ideas are never limited."""
    if member.pk == idea.author_id:
        return
    changes = VoteChange.objects.filter(user=member).exclude(idea__author=member)
    abuse.rate_check(member, kind="vote", rows=changes, field="created_at", now=now)

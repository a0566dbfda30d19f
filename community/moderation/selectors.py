"""Reads for moderators: the flag queue, a member's record, an idea's revisions, the audit log."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet

from community import permissions
from community.audit import Action
from community.models import AuditEntry, Suspension
from community.moderation.models import Flag
from ideas.models import (
    Comment,
    CommentRevision,
    Idea,
    IdeaRevision,
    Visibility,
    VoteRing,
    VoteRingMember,
)

QUEUE_PER_PAGE = 20
AUDIT_PER_PAGE = 50


@dataclass
class QueueItem:
    """One flagged idea or comment with its open flags."""

    idea: Idea
    comment: Comment | None
    count: int
    oldest: datetime
    flags: list[Flag] = field(default_factory=list)

    @property
    def author(self):
        return self.comment.author if self.comment else self.idea.author

    @property
    def text(self) -> str:
        return self.comment.body if self.comment else self.idea.body

    @property
    def reasons(self) -> list[tuple[str, int]]:
        return Counter(flag.get_reason_display() for flag in self.flags).most_common()

    @property
    def notes(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.text]


def flag_queue(*, page_number: int = 1) -> Page:
    """Open flags grouped by item: the most flagged first, then the longest waiting.

    Four queries whatever the page holds: the groups (and their count), the
    ideas, the comments and the flags.
    """
    groups = (
        Flag.objects.filter(resolved_at=None)
        .values("idea_id", "comment_id")
        .annotate(count=Count("id"), oldest=Min("created_at"))
        .order_by("-count", "oldest", "idea_id", "comment_id")
    )
    page = Paginator(groups, QUEUE_PER_PAGE).page(page_number)
    rows = list(page.object_list)
    ideas = Idea.objects.select_related("author", "category").in_bulk({r["idea_id"] for r in rows})
    comments = Comment.objects.select_related("author").in_bulk(
        {r["comment_id"] for r in rows if r["comment_id"]}
    )
    items = {
        (r["idea_id"], r["comment_id"]): QueueItem(
            idea=ideas[r["idea_id"]],
            comment=comments.get(r["comment_id"]),
            count=r["count"],
            oldest=r["oldest"],
        )
        for r in rows
    }
    flags = Flag.objects.filter(resolved_at=None, idea_id__in=ideas).select_related("reporter")
    for flag in flags:
        item = items.get((flag.idea_id, flag.comment_id))
        if item is not None:
            item.flags.append(flag)
    page.object_list = list(items.values())
    return page


def open_flag_count() -> int:
    return Flag.objects.filter(resolved_at=None).count()


@dataclass
class MemberRecord:
    member: object
    active_suspension: Suspension | None
    suspensions: list[Suspension]
    published_ideas: int
    visible_comments: int
    open_flags: int


def member_record(*, member) -> MemberRecord:
    suspensions = list(member.suspensions.select_related("actor"))
    return MemberRecord(
        member=member,
        active_suspension=permissions.active_suspension(member),
        suspensions=suspensions,
        published_ideas=Idea.objects.filter(author=member, visibility=Visibility.PUBLISHED).count(),
        visible_comments=Comment.objects.filter(
            author=member, deleted_at=None, hidden_at=None
        ).count(),
        open_flags=Flag.objects.filter(resolved_at=None).filter(_authored_by(member)).count(),
    )


def _authored_by(member) -> Q:
    return Q(comment=None, idea__author=member) | Q(comment__author=member)


@dataclass
class Revision:
    """An earlier text of the idea or of one of its comments."""

    kind: str  # "idea" or "comment"
    editor: object
    created_at: datetime
    body: str
    title: str = ""
    comment_id: int | None = None


@dataclass
class IdeaModeration:
    open_flags: int
    revisions: list[Revision]


def idea_moderation(*, idea: Idea, viewer) -> IdeaModeration | None:
    """What staff see beside an idea: its open flags and every earlier text. None for others."""
    if not permissions.can_see_hidden(viewer):
        return None
    revisions = [
        Revision(kind="idea", editor=r.editor, created_at=r.created_at, body=r.body, title=r.title)
        for r in IdeaRevision.objects.filter(idea=idea).select_related("editor")
    ] + [
        Revision(
            kind="comment",
            editor=r.editor,
            created_at=r.created_at,
            body=r.body,
            comment_id=r.comment_id,
        )
        for r in CommentRevision.objects.filter(comment__idea=idea).select_related("editor")
    ]
    revisions.sort(key=lambda r: r.created_at, reverse=True)
    return IdeaModeration(
        open_flags=Flag.objects.filter(idea=idea, comment=None, resolved_at=None).count(),
        revisions=revisions,
    )


def audit_entries(*, action: str = "", actor=None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "target_type")
    if action:
        entries = entries.filter(action=action)
    if actor is not None:
        entries = entries.filter(actor=actor)
    return entries.order_by("-created_at", "-id")


def audit_page(*, action: str = "", actor=None, page_number: int = 1) -> Page:
    """One page of the audit log, each entry with `action_label` for people."""
    page = Paginator(audit_entries(action=action, actor=actor), AUDIT_PER_PAGE).page(page_number)
    labels = dict(Action.choices)
    for entry in page.object_list:
        entry.action_label = labels.get(entry.action, entry.action.replace("_", " ").capitalize())
        entry.before_items = _readable(entry.before)
        entry.after_items = _readable(entry.after)
    return page


def _readable(values: dict) -> list[tuple[str, str]]:
    """An entry's before or after as (label, text) pairs a person can scan."""
    return [(key.replace("_", " "), _readable_value(value)) for key, value in values.items()]


def _readable_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(f"#{v}" if isinstance(v, int) else str(v) for v in value) or "none"
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None and "T" in value:
            return f"{moment.astimezone(UTC):%d %b %Y, %H:%M} UTC"
    return str(value)


def suspected_rings(*, limit: int = 20) -> list[VoteRing]:
    """Voting rings awaiting a moderator, newest first, with their evidence and accounts."""
    members = VoteRingMember.objects.select_related("user").order_by("user__date_joined")
    return list(
        VoteRing.objects.filter(state=VoteRing.State.SUSPECTED)
        .prefetch_related(Prefetch("memberships", queryset=members))
        .order_by("-detected_at", "-id")[:limit]
    )

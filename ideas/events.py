"""What the rest of the product hears when ideas change: live page updates and
notifications. Services call these inside their transaction; everything here
is delivered after commit (see realtime.api and community.notifications).

Fragments are rendered without a viewer, so they carry no per-person controls;
a reload shows those.
"""

from django.template.loader import render_to_string

from community.models import Notification
from community.notifications.services import notification_send
from ideas.models import SHIPPED_STATUSES, Comment, Follow, Idea, Status, StatusEvent
from realtime import api as realtime


def _followers(idea: Idea) -> list[int]:
    return list(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))


def idea_created(idea: Idea) -> None:
    realtime.staff_message(
        kind="idea_created",
        data={"id": idea.pk, "title": idea.title, "url": idea.get_absolute_url()},
    )


def votes_changed(idea: Idea) -> None:
    realtime.idea_counts(
        idea_id=idea.pk,
        data={
            "score": idea.score,
            "promotes": idea.promotes,
            "demotes": idea.demotes,
            "supporters": idea.supporters,
        },
    )


def comment_posted(comment: Comment, *, comment_count: int) -> None:
    idea = comment.idea
    html = render_to_string("ideas/includes/_comment.html", {"comment": comment})
    data = {
        "comment_id": comment.pk,
        "parent_id": comment.parent_id,
        "comment_count": comment_count,
    }
    if comment.is_official:
        data["pinned_html"] = render_to_string(
            "ideas/includes/_official_response.html", {"response": comment}
        )
        realtime.idea_event(idea_id=idea.pk, kind="official", html=html, data=data)
        notification_send(
            user_ids=_followers(idea),
            idea=idea,
            actor=comment.author,
            kind=Notification.Kind.OFFICIAL_RESPONSE,
            text=f"{comment.author.public_name} ({comment.author_role}) answered “{idea.title}”",
            url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
            now=comment.created_at,
            comment=comment,
        )
        return
    realtime.idea_event(idea_id=idea.pk, kind="comment", html=html, data=data)
    if comment.parent_id and comment.parent.author_id != comment.author_id:
        notification_send(
            user_ids=[comment.parent.author_id],
            idea=idea,
            actor=comment.author,
            kind=Notification.Kind.REPLY,
            text=f"{comment.author.public_name} replied to your comment on “{idea.title}”",
            url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
            now=comment.created_at,
            comment=comment,
        )


def comment_edited(comment: Comment) -> None:
    """Stored events (the catch-up) carry the edited text, never the old one."""
    data = {}
    if comment.is_official:
        data["pinned_html"] = render_to_string(
            "ideas/includes/_official_response.html", {"response": comment}
        )
    realtime.idea_events_rewrite(
        idea_id=comment.idea_id,
        comment_id=comment.pk,
        kind="official" if comment.is_official else "comment",
        html=render_to_string("ideas/includes/_comment.html", {"comment": comment}),
        data_updates=data,
    )


def comment_removed(comment: Comment, *, comment_count: int) -> None:
    # A removed official response is replayed as a plain placeholder, unpinned.
    realtime.idea_events_rewrite(
        idea_id=comment.idea_id,
        comment_id=comment.pk,
        kind="comment",
        html=render_to_string("ideas/includes/_comment.html", {"comment": comment}),
        data_updates={"pinned_html": None},
    )
    realtime.idea_event(
        idea_id=comment.idea_id,
        kind="comment_removed",
        data={"comment_id": comment.pk, "comment_count": comment_count},
    )


def status_changed(event: StatusEvent) -> None:
    status_changed_live(event)
    idea = event.idea
    label = Status(event.to_status).label
    if not idea.is_published:
        return  # its followers can no longer see it
    notification_send(
        user_ids=_followers(idea),
        idea=idea,
        actor=event.actor,
        kind=Notification.Kind.SHIPPED
        if event.to_status in SHIPPED_STATUSES
        else Notification.Kind.STATUS_CHANGE,
        text=f"“{idea.title}” is now {label.lower()}: {event.message}",
        url=idea.get_absolute_url(),
        now=event.created_at,
    )


def status_changed_live(event: StatusEvent) -> None:
    idea = event.idea
    label = Status(event.to_status).label
    realtime.idea_event(
        idea_id=idea.pk,
        kind="status",
        html=render_to_string("ideas/includes/_timeline_item.html", {"event": event}),
        data={
            "status": event.to_status,
            "label": label,
            "badge_html": render_to_string(
                "ideas/includes/_status_badge.html", {"status": event.to_status, "label": label}
            ),
        },
    )


def idea_merged(event: StatusEvent, *, into: Idea, notify_ids: set[int]) -> None:
    """The duplicate's page shows the merge live; its author, voters and followers hear of it."""
    duplicate = event.idea
    status_changed_live(event)
    notification_send(
        user_ids=notify_ids,
        idea=duplicate,
        actor=event.actor,
        kind=Notification.Kind.MERGED,
        text=f"“{duplicate.title}” was merged into “{into.title}”: your support now counts there.",
        url=into.get_absolute_url(),
        now=event.created_at,
    )


def idea_assigned(idea: Idea, *, owner, actor, now) -> None:
    """The staff member who now owns the idea's answer hears of it."""
    notification_send(
        user_ids=[owner.pk],
        idea=idea,
        actor=actor,
        kind=Notification.Kind.ASSIGNED,
        text=f"{actor.public_name} assigned “{idea.title}” to you.",
        url=idea.get_absolute_url(),
        now=now,
    )


def idea_overdue(idea: Idea, *, now) -> None:
    """The idea's owner hears once that it passed the response target unanswered."""
    notification_send(
        user_ids=[idea.owner_id],
        idea=idea,
        actor=None,
        kind=Notification.Kind.OVERDUE,
        text=f"“{idea.title}” has waited longer than the response target for a first answer.",
        url=idea.get_absolute_url(),
        now=now,
    )


def idea_withdrawn(idea: Idea) -> None:
    realtime.idea_event(idea_id=idea.pk, kind="withdrawn")


# --- Moderation (community.moderation) ------------------------------------------------


def moderation_notice(*, user_id: int, idea: Idea, actor, text: str, url: str, now) -> None:
    """Tell an author what a moderator did to their idea or comment, and why."""
    notification_send(
        user_ids=[user_id],
        idea=idea,
        actor=actor,
        kind=Notification.Kind.MODERATION,
        text=text,
        url=url,
        now=now,
    )


def idea_hidden(idea: Idea, *, actor, now, notify: bool = True) -> None:
    # Customers' sockets close on this event (realtime.consumers.CLOSING_KINDS).
    realtime.idea_event(idea_id=idea.pk, kind="hidden")
    if notify:
        moderation_notice(
            user_id=idea.author_id,
            idea=idea,
            actor=actor,
            text=f"A moderator hid your idea “{idea.title}”: {idea.moderation_reason}",
            url=idea.get_absolute_url(),
            now=now,
        )


def idea_restored(idea: Idea, *, actor, now) -> None:
    moderation_notice(
        user_id=idea.author_id,
        idea=idea,
        actor=actor,
        text=f"A moderator restored your idea “{idea.title}”: everyone can see it again.",
        url=idea.get_absolute_url(),
        now=now,
    )


def _comment_changed(comment: Comment, *, kind: str, data_updates: dict) -> None:
    """Stored events about the comment say what it shows now; then one live event."""
    html = render_to_string("ideas/includes/_comment.html", {"comment": comment})
    realtime.idea_events_rewrite(
        idea_id=comment.idea_id,
        comment_id=comment.pk,
        kind="official" if comment.is_official and not comment.is_hidden else "comment",
        html=html,
        data_updates=data_updates,
    )
    count = Idea.objects.filter(pk=comment.idea_id).values_list("comment_count", flat=True)[0]
    realtime.idea_event(
        idea_id=comment.idea_id,
        kind=kind,
        html=html,
        data={"comment_id": comment.pk, "comment_count": count},
    )


def comment_hidden(comment: Comment, *, actor, now, notify: bool = True) -> None:
    # Fragments are rendered without a viewer, so they show the placeholder.
    _comment_changed(comment, kind="comment_hidden", data_updates={"pinned_html": None})
    if notify:
        moderation_notice(
            user_id=comment.author_id,
            idea=comment.idea,
            actor=actor,
            text=f"A moderator hid your comment on “{comment.idea.title}”: {comment.hidden_reason}",
            url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
            now=now,
        )


def comment_restored(comment: Comment, *, actor, now) -> None:
    data = {}
    if comment.is_official:
        data["pinned_html"] = render_to_string(
            "ideas/includes/_official_response.html", {"response": comment}
        )
    _comment_changed(comment, kind="comment_restored", data_updates=data)
    moderation_notice(
        user_id=comment.author_id,
        idea=comment.idea,
        actor=actor,
        text=f"A moderator restored your comment on “{comment.idea.title}”.",
        url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        now=now,
    )

"""What the rest of the product hears when ideas change: live page updates and
notifications. Services call these inside their transaction; everything here
is delivered after commit (see realtime.api and community.notifications).

Fragments are rendered without a viewer, so they carry no per-person controls;
a reload shows those.
"""

from django.template.loader import render_to_string

from community.models import Notification
from community.notifications import notification_send
from ideas.models import Comment, Follow, Idea, Status, StatusEvent
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
    if not idea.is_published:
        return  # its followers can no longer see it
    notification_send(
        user_ids=_followers(idea),
        idea=idea,
        actor=event.actor,
        kind=Notification.Kind.STATUS_CHANGE,
        text=f"“{idea.title}” is now {label.lower()}: {event.message}",
        url=idea.get_absolute_url(),
        now=event.created_at,
    )


def idea_withdrawn(idea: Idea) -> None:
    realtime.idea_event(idea_id=idea.pk, kind="withdrawn")

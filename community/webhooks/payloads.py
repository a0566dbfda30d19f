"""Build what is sent, at send time: hidden, withdrawn or merged-away content
is checked then, so a delivery never carries what customers can no longer see.

A batch reads the content of all its events at once (`content_read`); the
sender then lays over it what decides visibility, read again as each
delivery's row is locked (`content_as_of`), so the check is as fresh as the
request it guards."""

import copy
import json
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from taggit.models import TaggedItem

from community.api import present
from community.webhooks.models import EventType, Format, WebhookEvent
from community.webhooks.schemas import WebhookPayload
from ideas.models import Comment, Idea, StatusEvent, Visibility

ANONYMOUS = AnonymousUser()

# What `Idea.is_visible_to_customers` and `Comment.is_hidden` / `is_removed` read:
# the sender reads these again, with each delivery's row lock, and lays them over
# what its batch read (`content_as_of`).
IDEA_VISIBILITY_FIELDS = ("visibility", "status")
COMMENT_VISIBILITY_FIELDS = ("hidden_at", "deleted_at")


class NotDeliverable(Exception):
    """The content is no longer visible to customers; the reason says why."""


NOT_VISIBLE = {
    Visibility.HIDDEN: _lazy("the idea is hidden by a moderator"),
    Visibility.WITHDRAWN: _lazy("the idea is withdrawn by its author"),
}


@dataclass
class Content:
    """The rows payloads show, by id: ideas (with area, author, tags), comments
    (with author) and status changes (with who made them)."""

    ideas: dict[int, Idea]
    comments: dict[int, Comment]
    status_events: dict[int, StatusEvent]


def content_read(events) -> Content:
    """Everything these events' payloads show, in three queries (and one for tags)."""
    events = list(events)
    idea_ids = {e.idea_id for e in events} | {e.into_id for e in events if e.into_id}
    tag_rows = TaggedItem.objects.select_related("tag").order_by("tag__name")
    ideas = (
        Idea.objects.select_related("category", "author")
        .prefetch_related(Prefetch("tagged_items", queryset=tag_rows, to_attr="tag_rows"))
        .in_bulk(idea_ids)
    )
    comment_ids = {e.comment_id for e in events if e.comment_id}
    change_ids = {e.status_event_id for e in events if e.status_event_id}
    return Content(
        ideas=ideas,
        comments=Comment.objects.select_related("author").in_bulk(comment_ids)
        if comment_ids
        else {},
        status_events=StatusEvent.objects.select_related("actor").in_bulk(change_ids)
        if change_ids
        else {},
    )


def content_as_of(content: Content, event: WebhookEvent, fresh: dict) -> Content:
    """`content` for this event with its visibility as `fresh` has it now.

    `fresh` maps `idea`, `into` and `comment` to their IDEA_/COMMENT_VISIBILITY_FIELDS
    values (None when the row is gone). The batch's rows are copied, not changed:
    other threads of the batch read them too.
    """
    ideas, comments = dict(content.ideas), dict(content.comments)
    for key, pk, rows in (
        ("idea", event.idea_id, ideas),
        ("into", event.into_id, ideas),
        ("comment", event.comment_id, comments),
    ):
        if pk is None or pk not in rows:
            continue
        if fresh.get(key) is None:
            del rows[pk]
            continue
        row = copy.copy(rows[pk])
        row.__dict__.update(fresh[key])
        rows[pk] = row
    return Content(ideas=ideas, comments=comments, status_events=content.status_events)


def _idea(content: Content, idea_id: int) -> Idea:
    try:
        return content.ideas[idea_id]
    except KeyError:
        raise NotDeliverable(_("the idea was deleted")) from None


def _comment_visible(comment: Comment) -> None:
    if comment.is_removed:
        raise NotDeliverable(_("the comment was removed"))
    if comment.is_hidden:
        raise NotDeliverable(_("the comment is hidden"))


def payload_build(event: WebhookEvent, content: Content | None = None) -> dict:
    """The JSON-ready body for `event`, checked against the schema; or NotDeliverable.

    `content` is what a batch read for its events; without it, it is read now.
    """
    content = content or content_read([event])
    idea = _idea(content, event.idea_id)
    data: dict = {}
    if event.type == EventType.IDEA_MERGED:
        if idea.visibility != Visibility.PUBLISHED:
            raise NotDeliverable(_("the merged idea is not published"))
        into = _idea(content, event.into_id)
        if not into.is_visible_to_customers:
            raise NotDeliverable(_("the idea it was merged into is not visible"))
        data["into"] = present.idea(into, viewer=ANONYMOUS)
    elif not idea.is_visible_to_customers:
        raise NotDeliverable(NOT_VISIBLE.get(idea.visibility) or _("the idea was merged away"))
    data["idea"] = present.idea(idea, viewer=ANONYMOUS)
    if event.comment_id:
        comment = content.comments.get(event.comment_id)
        if comment is None:
            raise NotDeliverable(_("the comment was deleted"))
        _comment_visible(comment)
        data["comment"] = present.comment(comment, viewer=ANONYMOUS)
    if event.status_event_id:
        change = content.status_events[event.status_event_id]
        data["status_event"] = {
            "from_status": change.from_status,
            "to_status": change.to_status,
            "message": change.message,
            "actor": present.person(change.actor),
            "created_at": change.created_at,
        }
    if event.milestone:
        data["milestone"] = event.milestone
    payload = {"type": event.type, "timestamp": event.created_at, "data": data}
    return WebhookPayload.model_validate(payload).model_dump(mode="json")


def absolute(url: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _summary(payload: dict) -> tuple[str, str, str]:
    """A headline, a line of detail and the link, for chat messages."""
    data = payload["data"]
    idea = data["idea"]
    label = str(EventType(payload["type"]).label)  # a lazy label would not go into JSON
    detail = ""
    if data.get("comment"):
        author = data["comment"]["author"] or {"name": _("someone")}
        detail = f"{author['name']}: {data['comment']['body'][:300]}"
    elif data.get("status_event"):
        change = data["status_event"]
        detail = f"{idea['status_label']}: {change['message'][:300]}"
    elif data.get("milestone"):
        count = data["milestone"]
        detail = ngettext("%(count)s promote", "%(count)s promotes", count) % {"count": count}
    if data.get("into"):
        merged = _("Merged into “%(title)s”.") % {"title": data["into"]["title"]}
        detail = f"{merged} {detail}".strip()
        return label, detail, absolute(data["into"]["url"])
    return f"{label}: {idea['title']}", detail, absolute(idea["url"])


def body_render(payload: dict, fmt: str) -> str:
    """The request body: the payload itself, or a Slack or Teams message about it (in
    the active language: the sender's is the site's)."""
    if fmt == Format.SLACK:
        headline, detail, link = _summary(payload)
        text = f"*<{link}|{headline}>*" + (f"\n{detail}" if detail else "")
        return json.dumps({"text": text})
    if fmt == Format.TEAMS:
        headline, detail, link = _summary(payload)
        card = {
            "type": "AdaptiveCard",
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [
                {"type": "TextBlock", "text": headline, "weight": "Bolder", "wrap": True},
                {"type": "TextBlock", "text": detail, "wrap": True},
            ],
            "actions": [{"type": "Action.OpenUrl", "title": _("Open the idea"), "url": link}],
        }
        return json.dumps(
            {
                "type": "message",
                "attachments": [
                    {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
                ],
            }
        )
    return json.dumps(payload, separators=(",", ":"))

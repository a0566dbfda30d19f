"""Build what is sent, at send time: hidden, withdrawn or merged-away content
is checked then, so a delivery never carries what customers can no longer see."""

import json

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from community.api import present
from community.webhooks.models import EventType, Format, WebhookEvent
from community.webhooks.schemas import WebhookPayload
from ideas.models import Comment, Idea, StatusEvent, Visibility

ANONYMOUS = AnonymousUser()


class NotDeliverable(Exception):
    """The content is no longer visible to customers; the reason says why."""


def _idea(idea_id: int) -> Idea:
    return Idea.objects.select_related("category", "author").get(pk=idea_id)


def _comment_visible(comment: Comment) -> None:
    if comment.is_removed:
        raise NotDeliverable("the comment was removed")
    if comment.is_hidden:
        raise NotDeliverable("the comment is hidden")


def payload_build(event: WebhookEvent) -> dict:
    """The JSON-ready body for `event`, checked against the schema; or NotDeliverable."""
    idea = _idea(event.idea_id)
    data: dict = {}
    if event.type == EventType.IDEA_MERGED:
        if idea.visibility != Visibility.PUBLISHED:
            raise NotDeliverable("the merged idea is not published")
        into = _idea(event.into_id)
        if not into.is_visible_to_customers:
            raise NotDeliverable("the idea it was merged into is not visible")
        data["into"] = present.idea(into, viewer=ANONYMOUS)
    elif not idea.is_visible_to_customers:
        raise NotDeliverable(f"the idea is {idea.get_visibility_display().lower()}")
    data["idea"] = present.idea(idea, viewer=ANONYMOUS)
    if event.comment_id:
        comment = Comment.objects.select_related("author").get(pk=event.comment_id)
        _comment_visible(comment)
        data["comment"] = present.comment(comment, viewer=ANONYMOUS)
    if event.status_event_id:
        change = StatusEvent.objects.select_related("actor").get(pk=event.status_event_id)
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
    label = EventType(payload["type"]).label
    detail = ""
    if data.get("comment"):
        author = data["comment"]["author"] or {"name": "someone"}
        detail = f"{author['name']}: {data['comment']['body'][:300]}"
    elif data.get("status_event"):
        change = data["status_event"]
        detail = f"Now {idea['status_label'].lower()}: {change['message'][:300]}"
    elif data.get("milestone"):
        detail = f"{data['milestone']} promotes"
    if data.get("into"):
        detail = f"Merged into “{data['into']['title']}”. " + detail
        return label, detail, absolute(data["into"]["url"])
    return f"{label}: {idea['title']}", detail, absolute(idea["url"])


def body_render(payload: dict, fmt: str) -> str:
    """The request body: the payload itself, or a Slack or Teams message about it."""
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
            "actions": [{"type": "Action.OpenUrl", "title": "Open the idea", "url": link}],
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

"""The body of a webhook, made of the API's own schemas (community.api.schemas),
so a receiver reads an idea or comment exactly as `/api/v1/` returns it."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from community.api.schemas import CommentOut, IdeaOut, StatusEventOut
from community.webhooks.models import EventType

EventName = Literal[tuple(EventType.values)]  # type: ignore[valid-type]


class WebhookData(Schema):
    idea: IdeaOut = Field(description="The idea, as the API shows it to everyone.")
    comment: CommentOut | None = Field(
        None, description="comment.posted and official_response.posted: the comment."
    )
    status_event: StatusEventOut | None = Field(
        None, description="idea.status_changed, idea.shipped and idea.merged: the change."
    )
    into: IdeaOut | None = Field(None, description="idea.merged: the idea it was merged into.")
    milestone: int | None = Field(None, description="vote.milestone: the promotes reached.")


class WebhookPayload(Schema):
    """Sent as the JSON body, signed with the Standard Webhooks headers
    `webhook-id`, `webhook-timestamp` and `webhook-signature` (v1, HMAC-SHA256)."""

    type: EventName
    timestamp: datetime = Field(description="When the event happened.")
    data: WebhookData

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


# What `data` holds for each event type, beside `idea` (payloads.payload_build).
EVENT_DATA: dict[str, tuple[str, ...]] = {
    EventType.IDEA_CREATED: ("idea",),
    EventType.VOTE_MILESTONE: ("idea", "milestone"),
    EventType.OFFICIAL_RESPONSE: ("idea", "comment"),
    EventType.STATUS_CHANGED: ("idea", "status_event"),
    EventType.IDEA_SHIPPED: ("idea", "status_event"),
    EventType.IDEA_MERGED: ("idea", "status_event", "into"),
    EventType.COMMENT_POSTED: ("idea", "comment"),
}

SIGNATURE_HEADERS = [
    (
        "webhook-id",
        "The message's id (`msg_…`), the same on every retry and redelivery: "
        "receivers use it to ignore a message they already have.",
        {"type": "string", "pattern": "^msg_[0-9a-f]{32}$"},
    ),
    (
        "webhook-timestamp",
        "When this attempt was signed, in seconds since 1970 (UTC); refuse old ones "
        "(Standard Webhooks libraries allow five minutes).",
        {"type": "string", "pattern": "^[0-9]+$"},
    ),
    (
        "webhook-signature",
        "`v1,` and the base64 HMAC-SHA256, keyed with the endpoint's secret (the bytes "
        "after `whsec_`, base64-decoded), of `{webhook-id}.{webhook-timestamp}.{body}`. "
        "Verify it with a Standard Webhooks library, e.g. "
        "`standardwebhooks.Webhook(secret).verify(body, headers)`.",
        {"type": "string", "pattern": "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$"},
    ),
]


def event_schema_name(event_type: str) -> str:
    return "Webhook_" + event_type.replace(".", "_")


def openapi_webhooks(add_definitions, payload_schema: dict) -> dict:
    """The OpenAPI 3.1 top-level `webhooks`: one POST per event type, its body the
    `WebhookPayload` JSON schema narrowed to that type and its `data` fields.

    `add_definitions(dict)` registers component schemas; `payload_schema` is
    `WebhookPayload`'s JSON schema with `#/components/schemas/` references.
    """
    payload_schema = dict(payload_schema)
    add_definitions(payload_schema.pop("$defs", {}))
    add_definitions({"WebhookPayload": payload_schema})
    parameters = [
        {"name": name, "in": "header", "required": True, "description": text, "schema": schema}
        for name, text, schema in SIGNATURE_HEADERS
    ]
    webhooks = {}
    for event_type, label in EventType.choices:
        name = event_schema_name(event_type)
        fields = EVENT_DATA[event_type]
        add_definitions(
            {
                name: {
                    "title": name,
                    "description": f"The body sent for `{event_type}` ({label.lower()}).",
                    "allOf": [
                        {"$ref": "#/components/schemas/WebhookPayload"},
                        {
                            "type": "object",
                            "properties": {
                                "type": {"const": event_type},
                                "data": {
                                    "type": "object",
                                    "required": list(fields),
                                    "properties": {
                                        field: {"not": {"type": "null"}} for field in fields
                                    },
                                },
                            },
                        },
                    ],
                }
            }
        )
        webhooks[event_type] = {
            "post": {
                "operationId": name.lower(),
                "summary": label,
                "description": (
                    f"Sent to each active endpoint that chose `{event_type}`, after the change "
                    "commits. Endpoints in the Slack or Teams format receive a chat message "
                    "about it instead. Any 2xx answer is success; anything else, or no answer "
                    "within 5 s, is retried with backoff for about a day."
                ),
                "tags": ["webhooks"],
                "parameters": parameters,
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                    },
                },
                "responses": {
                    "2XX": {"description": "Received."},
                    "default": {"description": "Not received: the delivery is retried."},
                },
            }
        }
    return webhooks

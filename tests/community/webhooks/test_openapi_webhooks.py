"""The webhooks in the OpenAPI schema (3.1 top-level `webhooks`): valid OpenAPI,
one entry per event type with the signature headers, and bodies really delivered
to a receiving server validate against their event's schema (jsonschema)."""

import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from community import roles
from community.webhooks.models import EventType, WebhookEndpoint
from community.webhooks.schemas import EVENT_DATA, event_schema_name
from ideas import services as idea_services
from ideas.models import Status
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def body_validator(openapi, event_type):
    """The event's request-body schema, its references resolved inside the document."""
    post = openapi["webhooks"][event_type]["post"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    return Draft202012Validator({**schema, "components": openapi["components"]})


def test_every_event_type_is_documented_with_its_signature_headers(openapi):
    validate(openapi)
    assert openapi["openapi"].startswith("3.1")
    assert set(openapi["webhooks"]) == set(EventType.values)
    for event_type in EventType.values:
        post = openapi["webhooks"][event_type]["post"]
        headers = {p["name"] for p in post["parameters"] if p["in"] == "header"}
        assert headers == {"webhook-id", "webhook-timestamp", "webhook-signature"}
        assert all(p["required"] for p in post["parameters"])
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert ref == f"#/components/schemas/{event_schema_name(event_type)}"
    # Made of the API's own schemas: an idea in a webhook is the API's IdeaOut.
    data = openapi["components"]["schemas"]["WebhookData"]
    assert data["properties"]["idea"]["$ref"] == "#/components/schemas/IdeaOut"
    assert "/api/v1/ideas" in openapi["paths"]  # the API's paths are all still there


def test_a_body_is_refused_by_another_events_schema(openapi):
    body = {"type": "idea.created", "timestamp": "2026-01-01T00:00:00Z", "data": {}}
    assert list(body_validator(openapi, "idea.created").iter_errors(body))  # no idea


def test_delivered_bodies_validate_against_their_webhook_schema(
    openapi, receiver, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint = WebhookEndpoint(name="All", url=hook.url, events=list(EventType.values))
    endpoint.full_clean()
    endpoint.save()
    staff = staff_user(roles.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(title="Offline mode for the mobile app")
        other = make_idea(title="Offline mode, please")
        for _ in range(9):
            idea_services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)
        idea_services.comment_create(author=UserFactory(), idea_id=idea.pk, body="Yes please.")
        idea_services.comment_create(
            author=staff, idea_id=idea.pk, body="We are looking at this.", official=True
        )
        for status in (Status.PLANNED, Status.IN_PROGRESS, Status.SHIPPED):
            idea_services.idea_status_change(
                actor=staff, idea_id=idea.pk, to_status=status, message=f"Now {status}."
            )
        idea_services.idea_merge(actor=staff, duplicate_id=other.pk, into_id=idea.pk)
    bodies = [json.loads(r["body"]) for r in hook.requests]
    assert {b["type"] for b in bodies} == set(EventType.values)
    for body in bodies:
        errors = [e.message for e in body_validator(openapi, body["type"]).iter_errors(body)]
        assert not errors, (body["type"], errors)
        assert set(EVENT_DATA[body["type"]]) <= {k for k, v in body["data"].items() if v}
        for other_type in {"idea.merged", "vote.milestone"} - {body["type"]}:
            assert list(body_validator(openapi, other_type).iter_errors(body)), other_type

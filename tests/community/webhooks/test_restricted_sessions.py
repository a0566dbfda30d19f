"""Webhooks and Storm Sessions limited to a group (issue #17).

Endpoints are the company's own tools, registered by administrators, so
what happens on ideas only a group may see is delivered to them like the
rest (docs/architecture.md explains the choice).
"""

import pytest
from standardwebhooks.webhooks import Webhook

from community.webhooks.models import WebhookEndpoint
from tests.page_fixtures import restricted_idea

pytestmark = pytest.mark.django_db


def test_an_idea_only_a_group_may_see_is_still_delivered_to_the_companys_endpoints(
    receiver, make_session, django_capture_on_commit_callbacks
):
    hook = receiver()
    endpoint = WebhookEndpoint(name="Tracker", url=hook.url, events=["idea.created"])
    endpoint.full_clean()
    endpoint.save()

    with django_capture_on_commit_callbacks(execute=True):
        idea = restricted_idea(make_session)

    assert len(hook.requests) == 1
    payload = Webhook(endpoint.secret).verify(hook.requests[0]["body"], hook.requests[0]["headers"])
    assert payload["data"]["idea"]["id"] == idea.pk
    assert payload["data"]["idea"]["storm_session_id"] == idea.storm_session_id

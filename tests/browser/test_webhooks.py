"""The staff area's Webhooks pages in Chromium at 1280 and 390 px: an administrator
adds an endpoint (a private URL is refused on the page), reads the delivery log;
no sideways scroll, no serious axe findings. Screenshots:
test-artifacts/screenshots/webhooks-<page>-<width>.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community import roles
from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_mobile_layout import OVERFLOW, SMALL_TARGETS, TARGET_MIN_PX, TARGETS
from tests.factories import make_idea, staff_user

pytestmark = pytest.mark.browser


@pytest.fixture
def endpoint(transactional_db) -> WebhookEndpoint:
    """Built before the browser opens (its event loop would refuse realtime's sends)."""
    ideas = [make_idea(title=f"Idea number {n}") for n in range(3)]
    endpoint = WebhookEndpoint.objects.create(
        name="Jira bridge",
        url="https://hooks.example.com/idealoop/jira-bridge/receive?team=product-platform",
        events=["idea.created", "idea.status_changed", "idea.shipped", "comment.posted"],
        last_success_at=timezone.now() - timedelta(minutes=4),
    )
    WebhookEndpoint.objects.create(
        name="Slack #ideas",
        url="https://hooks.slack.example/services/T000/B000/XXXX",
        events=["idea.shipped"],
        format="slack",
        is_active=False,
        disabled_at=timezone.now() - timedelta(days=1),
        disabled_reason="8 failed attempts",
    )
    now = timezone.now()
    for n, (state, answers) in enumerate(
        [
            (DeliveryState.SUCCEEDED, [(500, "Internal Server Error " * 20), (200, "ok")]),
            (DeliveryState.PENDING, [(None, "")]),
            (DeliveryState.SKIPPED, []),
        ]
    ):
        event = WebhookEvent.objects.create(type="idea.created", idea=ideas[n], created_at=now)
        delivery = WebhookDelivery.objects.create(
            event=event,
            endpoint=endpoint,
            state=state,
            attempts=len(answers),
            next_attempt_at=now + timedelta(minutes=5),
            created_at=now - timedelta(minutes=n),
            skipped_reason="Not sent: the idea is hidden." if state == "skipped" else "",
        )
        for i, (status, body) in enumerate(answers):
            WebhookAttempt.objects.create(
                delivery=delivery,
                attempted_at=now - timedelta(seconds=60 - i * 5),
                status_code=status,
                response_ms=120 + i,
                response_body=body,
                error="" if status else "ConnectError: [Errno 111] Connection refused",
            )
    return endpoint


def _check(page, name: str, width: int) -> list[str]:
    problems = []
    result = page.evaluate(OVERFLOW)
    if result["scrollWidth"] > result["innerWidth"]:
        problems.append(f"{width}px {name}: sideways scroll {result}")
    if width < 1024:
        small = page.evaluate(SMALL_TARGETS, [TARGETS, TARGET_MIN_PX])
        if small:
            problems.append(f"{width}px {name}: targets under 44 px: {small}")
    serious = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    if serious:
        problems.append(f"{width}px {name}: axe {serious}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"webhooks-{name}-{width}.png"), full_page=True)
    return problems


@pytest.fixture
def admin(transactional_db):
    return staff_user(roles.ADMINISTRATOR)


def test_an_administrator_manages_webhooks_at_1280_and_390(
    endpoint, admin, live_server_url, open_context
):
    problems = []
    for width in (1280, 390):
        page = open_context(width=width, user=admin)
        page.goto(f"{live_server_url}/staff/webhooks/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
        expect(page.get_by_role("link", name="Jira bridge")).to_be_visible()
        problems += _check(page, "list", width)

        page.get_by_role("link", name="Jira bridge").click()
        expect(page.get_by_role("heading", name="Delivery log")).to_be_visible()
        expect(page.get_by_role("button", name="Redeliver").first).to_be_visible()
        problems += _check(page, "log", width)

        page.goto(f"{live_server_url}/staff/webhooks/new/")
        page.locator("#id_name").fill("Internal dashboard")
        page.locator("#id_url").fill("http://10.0.0.8/hooks")
        page.get_by_label("Idea created").check()
        page.get_by_role("button", name="Create endpoint").click()
        expect(page.locator(".field-error")).to_contain_text("a private network address")
        problems += _check(page, "form-refused", width)
    assert WebhookEndpoint.objects.filter(name="Internal dashboard").count() == 0
    assert endpoint.deliveries.count() == 3
    assert not problems, "\n".join(problems)

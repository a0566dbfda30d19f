"""Batches of deliveries in real `db_worker` processes (each batch over several
threads): every delivery reaches the receiver once, even when its batch is queued
three times and two workers take them at the same time."""

import time
from collections import Counter

import pytest
from django.db import transaction

from community.webhooks import tasks
from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from tests.factories import make_idea

pytestmark = pytest.mark.worker


@pytest.fixture
def _tasks_in_process():
    """Not in-process here: real workers take the tasks from the database queue."""


def test_two_workers_deliver_each_once(worker, receiver, settings):
    settings.WEBHOOK_BATCH_SIZE = 40
    hook = receiver()
    WebhookEndpoint.objects.create(name="Tracker", url=hook.url, events=["idea.created"])
    with transaction.atomic():
        for n in range(80):
            make_idea(title=f"Idea number {n}")
    ids = list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))
    tasks.deliveries_queue(ids)  # the same batches again, twice: they race the first
    tasks.deliveries_queue(list(reversed(ids)))
    worker.start(1)

    deadline = time.monotonic() + 120
    delivered = WebhookDelivery.objects.filter(state=DeliveryState.SUCCEEDED)
    while delivered.count() < len(ids) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # so a second request for one of them would show

    assert delivered.count() == len(ids) == 80
    sent = Counter(r["headers"]["webhook-id"] for r in hook.requests)
    assert set(sent.values()) == {1}
    assert set(sent) == set(WebhookDelivery.objects.values_list("message_id", flat=True))
    assert WebhookAttempt.objects.count() == 80

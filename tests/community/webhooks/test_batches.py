"""Deliveries go in batches: one task per endpoint and WEBHOOK_BATCH_SIZE, a failing
receiver costs only its own deliveries a retry, and what changes while a batch is
being sent (content hidden, an endpoint switched off) is checked as each request
goes. Real PostgreSQL, the real task queue, real receiving HTTP servers."""

from datetime import timedelta

import pytest
from django import db
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks.webhooks import Webhook

from community import roles
from community.moderation import services as moderation
from community.webhooks import services, tasks
from community.webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from tests.factories import make_idea, staff_user

pytestmark = pytest.mark.django_db

BATCH_TASK = "community.webhooks.tasks.webhook_deliveries_send"


@pytest.fixture
def _tasks_in_process():
    """Not in-process here: the tasks go to the database queue, to be counted."""


def endpoint_for(url, name="Tracker", **kwargs):
    endpoint = WebhookEndpoint(name=name, url=url, events=["idea.created"], **kwargs)
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def queued(path=BATCH_TASK):
    return list(DBTaskResult.objects.filter(task_path=path).order_by("run_after"))


def test_a_transaction_queues_one_batch_per_endpoint(receiver, django_capture_on_commit_callbacks):
    good = endpoint_for(receiver().url, name="Good")
    other = endpoint_for(receiver().url, name="Other")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ideas = [make_idea(title=f"Idea number {n}") for n in range(30)]
    batches = queued()
    assert len(batches) == 2  # not 60 tasks
    by_endpoint = {
        endpoint: set(
            WebhookDelivery.objects.filter(endpoint=endpoint).values_list("pk", flat=True)
        )
        for endpoint in (good, other)
    }
    assert sorted(set(b.args_kwargs["kwargs"]["delivery_ids"]) for b in batches) == sorted(
        by_endpoint.values()
    )
    assert all(len(ids) == len(ideas) for ids in by_endpoint.values())


def test_one_task_delivers_many_and_retries_only_the_failed_ones(receiver):
    good_hook, bad_hook = receiver(), receiver([500])
    good = endpoint_for(good_hook.url, name="Good")
    bad = endpoint_for(bad_hook.url, name="Failing")
    for n in range(12):
        make_idea(title=f"Idea number {n}")
    ids = list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) == 24
    DBTaskResult.objects.all().delete()

    attempted = tasks.webhook_deliveries_send.call(delivery_ids=ids)  # one task, both endpoints

    assert attempted == 24
    assert len(good_hook.requests) == 12 and len(bad_hook.requests) == 12
    for request in good_hook.requests:
        Webhook(good.secret).verify(request["body"], request["headers"])
    delivered = WebhookDelivery.objects.filter(endpoint=good)
    assert set(delivered.values_list("state", "attempts")) == {(DeliveryState.SUCCEEDED, 1)}
    failed = WebhookDelivery.objects.filter(endpoint=bad)
    assert set(failed.values_list("state", "attempts")) == {(DeliveryState.PENDING, 1)}
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.last_success_at is not None and bad.last_success_at is None
    # The failed twelve wait for their retry, in one task of their own.
    [retry] = queued()
    assert sorted(retry.args_kwargs["kwargs"]["delivery_ids"]) == sorted(
        failed.values_list("pk", flat=True)
    )
    assert timedelta(seconds=4) < retry.run_after - timezone.now() <= timedelta(seconds=6)
    assert tasks.deliveries_retry_due() == 0  # not due yet

    assert tasks.deliveries_retry_due(now=timezone.now() + timedelta(seconds=6)) == 12

    assert len(good_hook.requests) == 12  # nothing sent twice to the good one
    assert len(bad_hook.requests) == 24
    assert set(failed.values_list("attempts", flat=True)) == {2}
    assert {r["headers"]["webhook-id"] for r in bad_hook.requests} == set(
        failed.values_list("message_id", flat=True)
    )


def test_a_delivery_already_made_is_not_made_again(receiver):
    hook = receiver()
    endpoint_for(hook.url)
    make_idea()
    ids = list(WebhookDelivery.objects.values_list("pk", flat=True))
    tasks.webhook_deliveries_send.call(delivery_ids=ids)
    assert tasks.webhook_deliveries_send.call(delivery_ids=ids + ids) == 0
    assert len(hook.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_what_changes_while_a_batch_is_sent_is_checked_as_each_request_goes(receiver):
    """The batch reads its ideas once, at the start; an idea hidden and an endpoint
    switched off after that, while the batch is still sending, are still honoured."""
    moderator = staff_user(roles.COMMUNITY_MANAGER)
    administrator = staff_user(roles.ADMINISTRATOR)
    ideas = []

    def meanwhile(count):  # in the receiver's thread, committed at once
        if count == 1:
            moderation.idea_hide(actor=moderator, idea_id=ideas[1].pk, reason="Personal details")
            services.endpoint_switch(actor=administrator, endpoint_id=switched.pk, on=False)
        db.connections.close_all()

    hook = receiver(on_request=meanwhile)
    endpoint_for(hook.url, name="Stays on")
    switched = endpoint_for(hook.url, name="Switched off")
    with transaction.atomic():
        ideas += [make_idea(title="Shown all along"), make_idea(title="Hidden meanwhile")]
    first = WebhookDelivery.objects.filter(event__idea=ideas[0]).exclude(endpoint=switched)
    order = list(first.values_list("pk", flat=True)) + list(
        WebhookDelivery.objects.exclude(pk__in=first).order_by("pk").values_list("pk", flat=True)
    )
    DBTaskResult.objects.all().delete()

    tasks.webhook_deliveries_send.call(delivery_ids=order)

    assert len(hook.requests) == 1  # the first; everything after it changed meanwhile
    reasons = set(
        WebhookDelivery.objects.filter(state=DeliveryState.SKIPPED).values_list(
            "endpoint__name", "event__idea__title", "skipped_reason"
        )
    )
    assert reasons == {
        ("Stays on", "Hidden meanwhile", "Not sent: the idea is hidden by a moderator."),
        ("Switched off", "Shown all along", "the endpoint is switched off"),
        ("Switched off", "Hidden meanwhile", "the endpoint is switched off"),
    }


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_delivery_once(receiver):
    """A second batch of the same deliveries starts while the first is in its first
    request: it skips the one being sent and sends the rest, and the first batch then
    finds those delivered. Each request is made once."""
    ids = []

    def meanwhile(count):
        if count == 1:
            tasks.webhook_deliveries_send.call(delivery_ids=ids)
        db.connections.close_all()

    hook = receiver(on_request=meanwhile)
    endpoint_for(hook.url)
    with transaction.atomic():
        for n in range(3):
            make_idea(title=f"Idea number {n}")
    ids += WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True)
    DBTaskResult.objects.all().delete()

    tasks.webhook_deliveries_send.call(delivery_ids=ids)

    sent = [r["headers"]["webhook-id"] for r in hook.requests]
    assert sorted(sent) == sorted(WebhookDelivery.objects.values_list("message_id", flat=True))
    assert set(WebhookDelivery.objects.values_list("state", "attempts")) == {
        (DeliveryState.SUCCEEDED, 1)
    }


def test_the_scheduler_queues_deliveries_whose_task_was_lost(receiver, settings):
    """A worker killed mid-batch leaves its deliveries pending and no task for them."""
    from community.management.commands.run_scheduler import Command as Scheduler

    endpoint_for(receiver().url)
    lost, recent = make_idea(title="Its task was lost"), make_idea(title="Just queued")
    long_ago = timezone.now() - timedelta(seconds=settings.OUTBOX_STALE_SECONDS + 60)
    WebhookDelivery.objects.filter(event__idea=lost).update(next_attempt_at=long_ago)
    DBTaskResult.objects.all().delete()

    assert Scheduler().run_pass({})["webhooks_swept"] == 1

    [batch] = queued()
    assert batch.args_kwargs["kwargs"]["delivery_ids"] == [
        WebhookDelivery.objects.get(event__idea=lost).pk
    ]
    assert WebhookDelivery.objects.filter(event__idea=recent).exists()  # left to its task


def test_a_delivery_that_cannot_be_built_stops_only_itself(receiver, monkeypatch):
    """Something unforeseen (here a bug building one body) costs that delivery alone:
    the rest of the batch goes, it stays pending, and the task fails so it is seen."""
    from community.webhooks import delivery as sending

    hook = receiver()
    endpoint_for(hook.url)
    broken = make_idea(title="Its body cannot be built")
    for n in range(2):
        make_idea(title=f"Idea number {n}")
    render = sending.body_render

    def body_render(payload, fmt):
        if payload["data"]["idea"]["id"] == broken.pk:
            raise RuntimeError("a bug")
        return render(payload, fmt)

    monkeypatch.setattr(sending, "body_render", body_render)
    ids = list(WebhookDelivery.objects.order_by("pk").values_list("pk", flat=True))

    with pytest.raises(sending.DeliveriesNotAttempted, match="left pending: 1;"):
        tasks.webhook_deliveries_send.call(delivery_ids=ids)

    assert len(hook.requests) == 2
    assert set(WebhookDelivery.objects.values_list("event__idea__title", "state", "attempts")) == {
        ("Its body cannot be built", DeliveryState.PENDING, 0),
        ("Idea number 0", DeliveryState.SUCCEEDED, 1),
        ("Idea number 1", DeliveryState.SUCCEEDED, 1),
    }

"""Background work on two task workers and the scheduler: a process killed, nothing lost or doubled.

The test process writes through the services (committed at once); the tasks it
queues run in the cluster's `tasks-a` and `tasks-b`, and the scheduler's outbox
sweep (OUTBOX_STALE_SECONDS=5 here) queues again what a killed worker left.
"""

import secrets
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from community import roles
from community.models import Notification
from community.notifications import services as notification_services
from community.notifications.models import EmailDelivery, Frequency
from ideas import services
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.cluster

TASKS = "community.notifications.tasks."
EMAIL_TASKS = (TASKS + "notification_emails", TASKS + "email_deliveries_send")


def wait_until(condition, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return found


def received(mailbox, people) -> Counter:
    """Messages each of these people has received (others' mail is not counted)."""
    addresses = {person.email for person in people}
    return Counter(m["To"] for m in mailbox.messages() if m["To"] in addresses)


def locked_by_a_sender(delivery_pk: int) -> bool:
    """Whether a worker holds this email's row lock, i.e. is in the middle of sending it."""
    try:
        with transaction.atomic():
            list(EmailDelivery.objects.select_for_update(nowait=True).filter(pk=delivery_pk))
    except DatabaseError:
        return True
    return False


def email_tasks_for(delivery: EmailDelivery, *, status: str):
    """The email tasks (deciding or sending) whose ids include this delivery."""
    for result in DBTaskResult.objects.filter(status=status, task_path__in=EMAIL_TASKS):
        kwargs = result.args_kwargs["kwargs"]
        if delivery.notification_id in kwargs.get("notification_ids", ()) or delivery.pk in (
            kwargs.get("delivery_ids", ())
        ):
            yield result


def found_with_status(cluster, code: str, status: str, idea) -> bool:
    page = cluster.client().get(f"/search/?q={code}&status={status}")
    assert page.status == 200 and "reduced mode" not in page.text  # Elasticsearch answered
    return f'href="{idea.get_absolute_url()}"' in page.text


def test_a_task_worker_killed_mid_batch_the_other_sends_every_email_once(cluster, mailbox):
    code = f"{secrets.randbelow(10**8):08d}"
    idea = make_idea(title=f"Bulk export for accountants, code {code}")
    followers = UserFactory.create_batch(24)  # one batch, sent over one SMTP connection
    for member in followers:
        services.follow_set(user=member, idea_id=idea.pk, following=True)
    audience = sorted([idea.author, *followers], key=lambda user: user.pk)
    held = audience[10]
    mailbox.hold(held.email)  # the SMTP server keeps the sender waiting on the 11th message

    services.idea_status_change(
        actor=staff_user(roles.PRODUCT_MANAGER), idea_id=idea.pk, to_status="planned",
        message="Planned for all of you.",
    )  # fmt: skip

    held_delivery = wait_until(
        lambda: EmailDelivery.objects.filter(user=held, notification__idea=idea).first(),
        "the emails to be planned",
    )
    wait_until(lambda: locked_by_a_sender(held_delivery.pk), "a worker to be sending it")
    (sending,) = email_tasks_for(held_delivery, status=TaskResultStatus.RUNNING)
    holder = sending.worker_ids[-1]
    (survivor,) = set(cluster.task_workers) - {holder}
    time.sleep(0.5)
    assert received(mailbox, [held]) == Counter()  # caught inside that message

    cluster.kill(holder)  # its task stays "running" for good, its transaction rolls back
    mailbox.release()

    # The scheduler's sweep queues what is still owed once it is stale; the survivor sends it.
    wait_until(
        lambda: len(received(mailbox, audience)) == len(audience),
        "every member's email",
        timeout=settings.OUTBOX_STALE_SECONDS + 60,
    )
    time.sleep(2)  # room for a duplicate to show
    assert received(mailbox, audience) == Counter({person.email: 1 for person in audience})
    deliveries = EmailDelivery.objects.filter(notification__idea=idea)
    assert sorted(deliveries.values_list("user_id", "state")) == [
        (person.pk, "sent") for person in audience
    ]
    notified = Notification.objects.filter(idea=idea, kind=Notification.Kind.STATUS_CHANGE)
    assert sorted(notified.values_list("user_id", flat=True)) == [person.pk for person in audience]
    # Every task that finished with the held email in it was queued again by the sweep and
    # run by the survivor (one sent it; any other found it sent, or still locked, and let go).
    finished = list(email_tasks_for(held_delivery, status=TaskResultStatus.SUCCESSFUL))
    assert {(task.task_path, task.worker_ids[-1]) for task in finished} == {
        (TASKS + "email_deliveries_send", survivor)
    }

    # The status change reached the search index: found through the balancer with it.
    wait_until(lambda: found_with_status(cluster, code, "planned", idea), "the new status")
    assert not found_with_status(cluster, code, "new", idea)


def test_the_scheduler_killed_and_restarted_sends_the_daily_digest_once(cluster, mailbox):
    reader = UserFactory()
    notification_services.email_preferences_set(
        user=reader, choices={"status_change": Frequency.DAILY}
    )
    idea = make_idea(title="Keyboard shortcuts for the inbox")
    services.follow_set(user=reader, idea_id=idea.pk, following=True)
    cluster.kill(cluster.scheduler)
    services.idea_status_change(
        actor=staff_user(roles.PRODUCT_MANAGER), idea_id=idea.pk, to_status="planned",
        message="Next quarter.",
    )  # fmt: skip
    wait_until(
        lambda: Notification.objects.filter(user=reader, idea=idea, email=Frequency.DAILY),
        "the notification to wait for the daily digest",
    )

    cluster.start(cluster.scheduler)  # a fresh scheduler queues today's digests at once
    wait_until(lambda: received(mailbox, [reader]), "the daily digest")
    restarted = timezone.now()
    cluster.kill(cluster.scheduler)
    cluster.start(cluster.scheduler)  # and queues them again
    wait_until(
        lambda: DBTaskResult.objects.filter(
            task_path=TASKS + "digests_send", status=TaskResultStatus.SUCCESSFUL,
            enqueued_at__gte=restarted,
        ),
        "the second scheduler's digests",
    )  # fmt: skip
    time.sleep(2)  # room for a duplicate to show

    (digest,) = [m for m in mailbox.messages() if m["To"] == reader.email]
    assert digest["Subject"] == "[Idealoop] Your daily digest: 1 update today"
    assert "Keyboard shortcuts for the inbox" in digest.get_body(("plain",)).get_content()
    assert EmailDelivery.objects.filter(user=reader, kind="digest_daily").count() == 1

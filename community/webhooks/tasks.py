"""Work queued by id, so it runs the same on any django-tasks backend."""

from django_tasks import task


@task()
def webhook_deliver(delivery_id: int) -> None:
    from community.webhooks.services import delivery_attempt

    delivery_attempt(delivery_id=delivery_id)


@task()
def webhooks_retry_due() -> int:
    """Attempt every delivery whose retry is due (run by a scheduler, or `manage.py
    webhooks_retry`, on backends that cannot defer a task)."""
    from community.webhooks.services import deliveries_retry_due

    return deliveries_retry_due()

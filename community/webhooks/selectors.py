"""Reads for the staff area's webhook pages: endpoints with their figures, and
each endpoint's delivery log."""

from django.db.models import Count, Prefetch, Q, QuerySet

from community.webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def endpoints_with_figures() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.annotate(
        pending_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        failed_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
    )


def endpoint_get(endpoint_id: int) -> WebhookEndpoint | None:
    return endpoints_with_figures().filter(pk=endpoint_id).first()


def deliveries_of(endpoint: WebhookEndpoint, *, state: str = "") -> QuerySet[WebhookDelivery]:
    """Newest first, each with its attempts (newest first) for the log."""
    deliveries = (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .prefetch_related(
            Prefetch("log", queryset=WebhookAttempt.objects.order_by("-attempted_at", "-id"))
        )
    )
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries

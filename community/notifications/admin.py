"""Administrators see every email owed, sent, skipped or failed, and can send failed ones again.

Failed background tasks themselves are listed by django-tasks-db's own admin
("Task results"), with their tracebacks.
"""

from django.contrib import admin, messages

from community.notifications import delivery
from community.notifications.models import EmailDelivery, NotificationEvent
from community.notifications.tasks import email_deliveries_send


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "user",
        "kind",
        "state",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("state", "kind")
    search_fields = ("key", "user__email", "message_id")
    readonly_fields = [field.name for field in EmailDelivery._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the selected failed emails again")
    def send_again(self, request, queryset):
        ids = delivery.email_deliveries_resend(delivery_ids=queryset.values_list("pk", flat=True))
        for chunk in delivery.chunks(ids):
            email_deliveries_send.enqueue(delivery_ids=chunk)
        self.message_user(request, f"{len(ids)} email(s) queued again.", messages.SUCCESS)


@admin.register(NotificationEvent)
class NotificationEventAdmin(admin.ModelAdmin):
    """The outbox of events the worker fans out; one still waiting has no "fanned out" time."""

    list_display = ("kind", "idea", "audience", "created_at", "fanned_out_at")
    list_filter = ("kind", "audience")
    readonly_fields = [field.name for field in NotificationEvent._meta.fields]

    def has_add_permission(self, request):
        return False

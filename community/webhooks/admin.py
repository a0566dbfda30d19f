"""Administrators manage endpoints and read the delivery log in the Django admin
(/django-admin/) or the staff area (/staff/webhooks/): only superusers and the
Administrator role."""

from django.contrib import admin, messages
from django.db import transaction

from community.permissions import can_manage_webhooks as is_administrator
from community.webhooks.forms import EndpointAdminForm
from community.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from community.webhooks.services import delivery_redeliver


class AdministratorsOnly:
    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_administrator(request.user)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AdministratorsOnly, admin.ModelAdmin):
    form = EndpointAdminForm
    list_display = ["name", "url", "format", "is_active", "last_success_at", "disabled_at"]
    list_filter = ["is_active", "format"]
    readonly_fields = ["secret", "created_at", "last_success_at", "disabled_at", "disabled_reason"]
    fields = [
        "name",
        "url",
        "events",
        "format",
        "is_active",
        "owner",
        "secret",
        "created_at",
        "last_success_at",
        "disabled_at",
        "disabled_reason",
    ]
    raw_id_fields = ["owner"]

    def save_model(self, request, obj, form, change):
        if obj.is_active and "is_active" in form.changed_data:
            obj.disabled_at = None
            obj.disabled_reason = ""
        super().save_model(request, obj, form, change)


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["attempted_at", "status_code", "response_ms", "response_body", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["message_id", "event_type", "endpoint", "state", "attempts", "created_at"]
    list_filter = ["state", "endpoint", "event__type"]
    list_select_related = ["event", "endpoint"]
    readonly_fields = [
        "message_id",
        "event",
        "endpoint",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
        "delivered_at",
        "skipped_reason",
    ]
    fields = readonly_fields
    inlines = [AttemptInline]
    actions = ["redeliver"]

    def has_add_permission(self, request, *args):
        return False

    @admin.display(description="event")
    def event_type(self, delivery):
        return delivery.event.get_type_display()

    @admin.action(description="Redeliver the selected deliveries")
    def redeliver(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            for pk in ids:
                delivery_redeliver(delivery_id=pk)
        self.message_user(request, f"{len(ids)} queued for redelivery.", messages.SUCCESS)

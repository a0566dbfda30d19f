"""Administrators manage endpoints and read the delivery log in the Django admin
(/django-admin/) or the staff area (/staff/webhooks/): only superusers and the
Administrator role."""

from django.contrib import admin, messages
from django.db import transaction

from community.permissions import can_manage_webhooks as is_administrator
from community.webhooks import services
from community.webhooks.forms import EndpointAdminForm
from community.webhooks.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


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

    # Writes go through the services, as the staff area's do: the same checks, and
    # every change in the audit log.

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.endpoint_create(
                actor=request.user,
                **{field: data[field] for field in ("name", "url", "events", "format", "owner")},
                is_active=data["is_active"],
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        changed = [field for field in services.EDITABLE if field in form.changed_data]
        with transaction.atomic():
            if changed:
                services.endpoint_update(
                    actor=request.user,
                    endpoint_id=obj.pk,
                    **{field: data[field] for field in changed},
                )
            if "is_active" in form.changed_data:
                services.endpoint_switch(
                    actor=request.user, endpoint_id=obj.pk, on=data["is_active"]
                )
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.endpoint_delete(actor=request.user, endpoint_id=obj.pk)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for pk in queryset.values_list("pk", flat=True):
                services.endpoint_delete(actor=request.user, endpoint_id=pk)


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
                services.delivery_redeliver_by(actor=request.user, delivery_id=pk)
        self.message_user(request, f"{len(ids)} queued for redelivery.", messages.SUCCESS)

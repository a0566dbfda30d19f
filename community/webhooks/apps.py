from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "community.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from community.core import domain_events
        from community.webhooks.services import event_record

        domain_events.subscribe(event_record)

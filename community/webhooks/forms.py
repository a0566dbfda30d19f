"""Endpoint forms for the staff area and the Django admin. The URL is checked by
the model's `clean` (the SSRF check), so both refuse the same addresses."""

from django import forms
from django.utils.translation import gettext_lazy as _

from community.webhooks.models import EventType, WebhookEndpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where deliveries are POSTed. It must resolve to a public address."),
    )
    events = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Events"),
        help_text=_("The events it is sent."),
        error_messages={"required": _("Choose at least one event.")},
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "format"]
        labels = {"name": _("Name"), "format": _("Message format")}
        help_texts = {
            "format": _(
                "Standard Webhooks JSON for your own code, or a chat message for a "
                "Slack or Microsoft Teams incoming-webhook URL."
            )
        }


class EndpointAdminForm(EndpointForm):
    class Meta(EndpointForm.Meta):
        fields = ["name", "url", "events", "format", "is_active", "owner"]

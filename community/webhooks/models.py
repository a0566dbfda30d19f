"""Endpoints, the events they were sent (an outbox written in the writer's
transaction), one delivery per event and endpoint, and every attempt's log."""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from community.webhooks.ssrf import UnsafeUrl, url_check


class EventType(models.TextChoices):
    IDEA_CREATED = "idea.created", _("Idea created")
    VOTE_MILESTONE = "vote.milestone", _("Vote milestone reached")
    OFFICIAL_RESPONSE = "official_response.posted", _("Official response")
    STATUS_CHANGED = "idea.status_changed", _("Status changed")
    IDEA_SHIPPED = "idea.shipped", _("Idea shipped")
    IDEA_MERGED = "idea.merged", _("Idea merged")
    COMMENT_POSTED = "comment.posted", _("Comment posted")


class Format(models.TextChoices):
    STANDARD = "standard", _("JSON (Standard Webhooks)")
    SLACK = "slack", _("Slack incoming webhook")
    TEAMS = "teams", _("Microsoft Teams incoming webhook")


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return "msg_" + uuid.uuid4().hex


def events_validate(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one event."))
    unknown = sorted(set(value) - set(EventType.values))
    if unknown:
        raise ValidationError(_("Unknown event(s): %(join)s.") % {"join": ", ".join(unknown)})


class WebhookEndpoint(models.Model):
    name = models.CharField(
        max_length=80, help_text=_("What receives these, e.g. the Jira bridge.")
    )
    url = models.URLField(max_length=500, help_text=_("Where deliveries are POSTed (https)."))
    events = models.JSONField(
        default=list, validators=[events_validate], help_text=_("The event types it wants.")
    )
    format = models.CharField(max_length=10, choices=Format.choices, default=Format.STANDARD)
    secret = models.CharField(
        max_length=80,
        default=new_secret,
        help_text=_("Receivers verify signatures with it (Standard Webhooks)."),
    )
    is_active = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Told by email when the endpoint is switched off after failures."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.url:
            try:
                url_check(self.url)
            except UnsafeUrl as error:
                raise ValidationError({"url": str(error)}) from error

    def wants(self, event_type: str) -> bool:
        return event_type in self.events


class WebhookEvent(models.Model):
    """What happened, by ids: the payload is built when it is sent, so hidden
    content is checked then and never leaves."""

    type = models.CharField(max_length=40, choices=EventType.choices)
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        "ideas.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status_event = models.ForeignKey(
        "ideas.StatusEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    into = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    milestone = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "milestone"],
                condition=models.Q(type="vote.milestone"),
                name="webhook_milestone_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed (retries used up)")
    SKIPPED = "skipped", _("Not sent")


class WebhookDelivery(models.Model):
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The Standard Webhooks `webhook-id`: the same on every retry, so receivers dedupe.
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    # When the next attempt is due; while one runs, its row lock keeps other workers off.
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.event.type} to {self.endpoint} ({self.get_state_display()})"


class WebhookAttempt(models.Model):
    """The delivery log: one row per request made (or refused before it was made)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True, help_text=_("The response's first 1 KB."))
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

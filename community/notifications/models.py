"""Email for notifications: each member's choices, and every email owed or sent.

These belong to the "community" app (community/models.py imports them).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Frequency(models.TextChoices):
    INSTANT = "instant", _("Right away")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("Off")


class EmailPreference(models.Model):
    """A member's choice for one kind of notification; no row means the default."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField(max_length=20)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.frequency}"


class NotificationEvent(models.Model):
    """One thing to tell people about, waiting for the worker to tell them (an outbox row).

    The writer stores this one small row and queues its fan-out task in the
    same transaction, whatever the number of people it concerns; the worker
    then stores one `Notification` per member and plans their emails
    (`community.notifications.fanout`). `audience` names a resolver that the
    domain registers (`community.notifications.audiences`), computed when
    the worker runs; a blank audience means the explicit `recipients`.
    Notifications are unique per event and member, so a fan-out that runs
    twice (a retry, the sweep, a worker killed mid-task) adds nobody twice.
    """

    kind = models.CharField(max_length=20)
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    message = models.JSONField(default=list, blank=True)  # translatable parts (texts.py)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    audience = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    fanned_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(fanned_out_at__isnull=True),
                name="notification_event_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on idea {self.idea_id} ({self.audience or 'recipients'})"


class EmailDelivery(models.Model):
    """One email owed to a member: an instant notification or a digest.

    `key` is unique ("notification:<id>", "digest:daily:<user>:<date>"), so the
    same email is never owed twice; `sent_at` is set in the transaction that
    holds the row's lock while the message goes out, so it is never sent twice
    by two workers, and a worker that dies before sending leaves it pending
    for the next one.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent (hidden content, unsubscribed, suspended or empty)")
        FAILED = "failed", _("Gave up after retries")

    key = models.CharField(max_length=80, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    notification = models.OneToOneField(
        "community.Notification", on_delete=models.CASCADE, null=True, blank=True,
        related_name="email_delivery",
    )  # fmt: skip
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    message_id = models.CharField(max_length=200, blank=True)
    skip_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name_plural = "email deliveries"
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(state="pending"), name="email_delivery_pending"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="email_sent_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"

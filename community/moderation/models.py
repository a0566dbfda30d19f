"""Moderation's models. They belong to the "community" app, so no table moved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Flag(models.Model):
    """A member's report that an idea or a comment breaks the guidelines."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Abusive or hateful")
        PERSONAL = "personal", _("Shares personal information")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Something else")

    class Resolution(models.TextChoices):
        HIDDEN = "hidden", _("Content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    reporter = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="flags")
    # Set when the flag is about a comment on `idea` rather than the idea itself.
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)

    class Meta:
        app_label = "community"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "idea"], condition=Q(comment=None), name="flag_idea_once"
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="flag_comment_once",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "created_at"], name="flag_open")]

    def __str__(self) -> str:
        target = f"comment #{self.comment_id}" if self.comment_id else f"idea #{self.idea_id}"
        return f"Flag on {target} by {self.reporter_id}"

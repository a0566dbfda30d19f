"""Listening ratings. They belong to the "ideas" app: ideas/models.py imports them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ListeningRating(models.Model):
    """ "How well did we listen to you on this idea?", 0–10, from one person at one stage.

    One row per person, idea and stage; changing the rating updates the row.
    Never shown with the person's name in public (only counted in the score).
    """

    class Stage(models.TextChoices):
        ANSWERED = "answered", _("After the first answer")
        DECIDED = "decided", _("After the decision")

    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listening_ratings"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    score = models.PositiveSmallIntegerField()
    comment = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    rated_at = models.DateTimeField(help_text=_("When the rating was given or last changed."))

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "rater", "stage"], name="listening_rating_once_per_stage"
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="listening_rating_0_to_10"),
        ]
        indexes = [models.Index(fields=["rated_at"], name="listening_rating_recent")]

    def __str__(self) -> str:
        return f"{self.score}/10 on #{self.idea_id} ({self.stage})"

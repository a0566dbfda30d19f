"""An idea's statuses and visibilities, shared by the models and their querysets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under_review", _("Under review")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    NOT_PLANNED = "not_planned", _("Not planned")
    DUPLICATE = "duplicate", _("Duplicate")
    ARCHIVED = "archived", _("Archived")


# An idea in one of these has had its decision.
DECIDED_STATUSES = [
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.SHIPPED,
    Status.PARTIALLY_SHIPPED,
    Status.NOT_PLANNED,
]
SHIPPED_STATUSES = [Status.SHIPPED, Status.PARTIALLY_SHIPPED]


class Visibility(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")

"""An idea's statuses and visibilities, shared by the models and their querysets."""

from django.db import models


class Status(models.TextChoices):
    NEW = "new", "New"
    UNDER_REVIEW = "under_review", "Under review"
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    SHIPPED = "shipped", "Shipped"
    PARTIALLY_SHIPPED = "partially_shipped", "Partially shipped"
    NOT_PLANNED = "not_planned", "Not planned"
    DUPLICATE = "duplicate", "Duplicate"
    ARCHIVED = "archived", "Archived"


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
    PUBLISHED = "published", "Published"
    HIDDEN = "hidden", "Hidden by a moderator"
    WITHDRAWN = "withdrawn", "Withdrawn by its author"

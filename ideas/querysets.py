"""Chainable read predicates for ideas and comments."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast

SORTS = {
    "hot": ("-hot", "-id"),
    "top": ("-score", "-id"),
    "new": ("-created_at", "-id"),
    "discussed": ("-comment_count", "-id"),
    "active": ("-last_activity_at", "-id"),
}
PERIODS = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
    "all": None,
}


class IdeaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility="published")

    def visible_to(self, user):
        """Customers see published ideas; staff also see hidden and withdrawn ones."""
        from ideas.permissions import can_see_hidden

        if can_see_hidden(user):
            return self
        return self.published()

    def sorted_by(self, sort: str, *, period: str = "all", now: datetime | None = None):
        queryset = self
        if sort == "top" and PERIODS[period] is not None:
            queryset = queryset.filter(created_at__gte=now - PERIODS[period])
        return queryset.order_by(*SORTS[sort])

    def with_user_vote(self, user):
        """Annotate `user_vote`: the viewer's +1/−1, or None (also for anonymous viewers)."""
        from voting.models import Vote

        if user is None or not user.is_authenticated:
            return self.annotate(
                user_vote=models.Value(None, output_field=models.SmallIntegerField())
            )
        votes = Vote.objects.filter(
            user=user,
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=Cast(OuterRef("pk"), models.TextField()),
        )
        return self.annotate(user_vote=Subquery(votes.values("vote")[:1]))


class CommentQuerySet(models.QuerySet):
    def official(self):
        return self.filter(is_official=True, deleted_at__isnull=True, hidden_at__isnull=True)

    def top_level(self):
        return self.filter(parent__isnull=True)

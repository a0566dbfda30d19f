"""Chainable read predicates for ideas and comments."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast

from community.permissions import audience_groups, audience_q, can_see_hidden
from ideas.choices import Status, Visibility

# Net votes, less those from suspected voting rings: what "top" ranks by.
TOP_MERIT = models.F("score") - models.F("ring_discount")

SORTS = {
    "hot": ("-hot", "-id"),
    # Net votes, less those from suspected voting rings (the `idea_top_merit` index).
    "top": (TOP_MERIT.desc(), "-id"),
    "new": ("-created_at", "-id"),
    "discussed": ("-comment_count", "-id"),
    "active": ("-last_activity_at", "-id"),
}
# The path from an idea to the group its Storm Session is limited to (if any):
# an idea's audience is its session's (`Idea.audience_group_id` for one idea).
AUDIENCE = "storm_session__restricted_to"
PERIODS = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "year": timedelta(days=365),
    "all": None,
}


class IdeaQuerySet(models.QuerySet):
    def published(self):
        return self.filter(visibility=Visibility.PUBLISHED)

    def visible_to_customers(self):
        """Published and not merged into another idea: what lists, search and feeds show.

        `Idea.is_visible_to_customers` is the same rule for one loaded idea.
        """
        return self.published().exclude(status=Status.DUPLICATE)

    def visible_to(self, user):
        """Customers see what is visible to customers and their audience; staff see all."""
        if can_see_hidden(user):
            return self
        return self.visible_to_customers().for_audience(user)

    def in_a_limited_session(self):
        """Ideas of a Storm Session limited to a group: only it and staff may see them."""
        return self.filter(**{f"{AUDIENCE}__isnull": False})

    def for_audience(self, user):
        """Leaves out ideas of Storm Sessions limited to a group `user` is not in.

        The rule is `community.permissions.audience_groups` (staff see them all);
        `ideas.permissions.can_view_idea` asks the same of one idea.
        """
        return self.for_audience_groups(audience_groups(user))

    def for_audience_groups(self, groups: frozenset[int] | None):
        """`for_audience` for a reader with these `audience_groups` (None: staff)."""
        condition = audience_q(groups, AUDIENCE)
        return self if condition is None else self.filter(condition)

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
    def for_audience(self, user):
        """Comments on ideas `user` may see by audience (`IdeaQuerySet.for_audience`)."""
        condition = audience_q(audience_groups(user), f"idea__{AUDIENCE}")
        return self if condition is None else self.filter(condition)

    def official(self):
        return self.filter(is_official=True, deleted_at__isnull=True, hidden_at__isnull=True)

    def top_level(self):
        return self.filter(parent__isnull=True)

"""Checking and repairing the denormalised idea counters."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from voting.models import Vote

from ideas.models import Comment, Idea
from ideas.ranking import hot_rank


@dataclass(frozen=True)
class CounterDrift:
    idea_id: int
    stored: dict[str, int]
    actual: dict[str, int]


def idea_counters_repair(*, fix: bool, batch_size: int = 2000) -> list[CounterDrift]:
    """Compare each idea's counters with its vote and comment rows; optionally repair.

    Each batch is checked and fixed under a lock of its ideas, so a vote cast
    meanwhile is neither lost nor overwritten with a stale count.
    """
    from django.db.models import Count, Q

    idea_type = ContentType.objects.get_for_model(Idea)
    drifts: list[CounterDrift] = []
    last_id = 0
    while True:
        with transaction.atomic():
            ideas = list(
                Idea.objects.select_for_update()
                .filter(pk__gt=last_id)
                .order_by("pk")
                .only("pk", "promotes", "demotes", "score", "comment_count", "created_at")[
                    :batch_size
                ]
            )
            if not ideas:
                return drifts
            last_id = ideas[-1].pk
            ids = [str(idea.pk) for idea in ideas]
            votes = {
                row["object_id"]: row
                for row in Vote.objects.filter(content_type=idea_type, object_id__in=ids)
                .values("object_id")
                .annotate(
                    promotes=Count("id", filter=Q(vote=1)), demotes=Count("id", filter=Q(vote=-1))
                )
            }
            comments = dict(
                # Removed and moderator-hidden comments leave the count.
                Comment.objects.filter(
                    idea_id__in=[i.pk for i in ideas],
                    deleted_at__isnull=True,
                    hidden_at__isnull=True,
                )
                .values("idea_id")
                .annotate(n=Count("id"))
                .values_list("idea_id", "n")
            )
            for idea in ideas:
                row = votes.get(str(idea.pk), {"promotes": 0, "demotes": 0})
                actual = {
                    "promotes": row["promotes"],
                    "demotes": row["demotes"],
                    "score": row["promotes"] - row["demotes"],
                    "comment_count": comments.get(idea.pk, 0),
                }
                stored = {name: getattr(idea, name) for name in actual}
                if stored == actual:
                    continue
                drifts.append(CounterDrift(idea_id=idea.pk, stored=stored, actual=actual))
                if fix:
                    Idea.objects.filter(pk=idea.pk).update(
                        **actual, hot=hot_rank(actual["score"], idea.created_at)
                    )

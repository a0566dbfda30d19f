"""What leaving the community does to the ideas domain: a departing member's
votes go (the counters are recounted from the rows that remain), and their
ideas and comments either stay under their new "former member" name or are
removed, as the member chose. `community.members.services.member_account_delete`
calls these inside its one transaction.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from voting.models import Vote

from ideas import events
from ideas.events import ideas_changed
from ideas.models import Comment, Idea
from ideas.ranking import hot_rank
from ideas.services.rules import comment_count_change


def member_votes_remove(*, member) -> list[int]:
    """Delete every vote the member cast and recount the ideas they voted on.

    The ideas are locked in id order (as every vote does, so a vote cast
    meanwhile waits, and two of these cannot deadlock), then each idea's
    counters are set from its remaining vote rows: they equal the rows after.
    """
    idea_type = ContentType.objects.get_for_model(Idea)
    votes = Vote.objects.filter(user=member, content_type=idea_type)
    idea_ids = sorted({int(object_id) for object_id in votes.values_list("object_id", flat=True)})
    if not idea_ids:
        return []
    ideas = list(Idea.objects.select_for_update().filter(pk__in=idea_ids).order_by("pk"))
    votes.delete()
    counts = {
        row["object_id"]: row
        for row in Vote.objects.filter(content_type=idea_type, object_id__in=map(str, idea_ids))
        .values("object_id")
        .annotate(promotes=Count("id", filter=Q(vote=1)), demotes=Count("id", filter=Q(vote=-1)))
    }
    for idea in ideas:
        row = counts.get(str(idea.pk), {"promotes": 0, "demotes": 0})
        score = row["promotes"] - row["demotes"]
        Idea.objects.filter(pk=idea.pk).update(
            promotes=row["promotes"],
            demotes=row["demotes"],
            score=score,
            hot=hot_rank(score, idea.created_at),
        )
        idea.promotes, idea.demotes, idea.score = row["promotes"], row["demotes"], score
        events.votes_changed(idea)
    ideas_changed(idea_ids)
    return idea_ids


def member_content_remove(*, member, now: datetime) -> dict[str, int]:
    """Take the member's ideas and comments down, their words with them.

    Ideas are withdrawn (nobody but staff sees a withdrawn idea) with their
    text blanked; comments become "comment removed" placeholders with their
    text blanked, and leave their idea's comment count. Official responses
    are the company's answer, not the member's, and stay (a staff member is
    warned of this before deleting their account).
    """
    comments = list(
        Comment.objects.filter(author=member, deleted_at__isnull=True, is_official=False)
        .select_related("idea")
        .order_by("idea_id", "pk")
    )
    idea_ids = sorted({comment.idea_id for comment in comments})
    locked = {
        idea.pk: idea
        for idea in Idea.objects.select_for_update().filter(pk__in=idea_ids).order_by("pk")
    }
    for comment in comments:
        counted = 0 if comment.hidden_at else 1
        comment.deleted_at = now
        comment.body = ""
        comment.body_html = ""
        comment.save(update_fields=["deleted_at", "body", "body_html"])
        Idea.objects.filter(pk=comment.idea_id).update(**comment_count_change(-counted))
        locked[comment.idea_id].comment_count -= counted
        events.comment_removed(comment, comment_count=locked[comment.idea_id].comment_count)
    ideas = list(Idea.objects.select_for_update().filter(author=member).order_by("pk"))
    for idea in ideas:
        withdrawn = idea.visibility == "published"
        Idea.objects.filter(pk=idea.pk).update(
            visibility="withdrawn" if withdrawn else idea.visibility,
            body="",
            body_html="<p><em>Removed by its author.</em></p>",
            updated_at=now,
        )
        if withdrawn:
            events.idea_withdrawn(idea)
    ideas_changed(sorted({*idea_ids, *(idea.pk for idea in ideas)}))
    return {"ideas": len(ideas), "comments": len(comments)}


def member_content_renamed(*, member) -> None:
    """The member's name changed (to "former member"): their ideas' search
    documents and the stored live events of their comments say the new name."""
    commented = set()
    for comment in Comment.objects.filter(author=member).select_related("author", "idea"):
        events.comment_renamed(comment)
        commented.add(comment.idea_id)
    ideas_changed(Idea.objects.filter(author=member).values_list("pk", flat=True))
    events.idea_pages_changed(commented)

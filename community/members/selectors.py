import json

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import OuterRef, Sum
from django.db.models.functions import JSONArray
from django.utils import timezone
from voting.models import Vote

from community.core.compiled import CompiledQuery
from community.models import GROUP_ROWS_LOADED, Flag, Notification, Suspension
from community.notifications import texts
from community.notifications.models import EmailPreference
from community.notifications.selectors import UNREAD_LOADED, unread_subquery
from community.permissions import participation_loaded
from ideas.listening.models import ListeningRating
from ideas.models import Comment, Follow, Idea
from ideas.selectors import member_comments, member_ideas


def member_for_request(user_id):
    """The signed-in member of a request (`community.members.backends`), with their
    groups (`User._group_rows`, on PostgreSQL), unread notifications
    (`notifications.selectors.unread_count`) and whether they may take part
    (`permissions.participation_loaded`) read in the same query, or None."""
    try:
        user_id = get_user_model()._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    member = _member_read.first(user_id)
    if member is not None and hasattr(member, "group_rows_json"):
        rows = [tuple(json.loads(row)) for row in member.group_rows_json or []]
        setattr(member, GROUP_ROWS_LOADED, rows)
    return member


def _member(user_id: int):
    members = get_user_model().objects.filter(pk=user_id)
    members = members.annotate(**{UNREAD_LOADED: unread_subquery()}, **participation_loaded())
    if connection.vendor == "postgresql":
        groups = Group.objects.filter(user=OuterRef("pk")).order_by("pk")
        # A compiled query's rows skip the fields' decoding: each group comes as JSON text.
        members = members.annotate(
            group_rows_json=ArraySubquery(groups.values(row=JSONArray("pk", "name")))
        )
    return members


_member_read = CompiledQuery(_member)


def member_by_username(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def member_profile(*, member, viewer) -> dict:
    """What a member's public profile shows: published ideas, live comments, points.

    Points are the net votes the member's published ideas have received.
    """
    ideas = member_ideas(member=member, viewer=viewer)
    points = ideas.aggregate(points=Sum("score"))["points"] or 0
    return {
        "member": member,
        "ideas": ideas[:50],
        "comments": member_comments(member=member, viewer=viewer)[:50],
        "points": points,
    }


def member_activity(*, member) -> dict:
    """The member's own activity page: every idea they shared (any visibility,
    with its status), their votes with the idea's status, what they follow,
    their comments and their listening ratings. Five queries, each joined to
    what it shows. Ideas of a Storm Session limited to a group the member has
    left are not shown."""
    idea_type = ContentType.objects.get_for_model(Idea)
    votes = list(
        Vote.objects.filter(user=member, content_type=idea_type)
        .order_by("-time_stamp")
        .values("object_id", "vote", "time_stamp")[:200]
    )
    ideas = Idea.objects.for_audience(member)
    voted = ideas.in_bulk([int(v["object_id"]) for v in votes])
    return {
        "shared": ideas.filter(author=member)
        .select_related("category")
        .order_by("-created_at")[:200],
        "votes": [
            {"idea": voted[int(v["object_id"])], "value": v["vote"], "at": v["time_stamp"]}
            for v in votes
            if int(v["object_id"]) in voted
        ],
        "follows": Follow.objects.filter(user=member, idea__in=ideas.values("pk"))
        .select_related("idea")
        .order_by("-created_at")[:200],
        "comments": Comment.objects.filter(author=member, deleted_at__isnull=True)
        .for_audience(member)
        .select_related("idea")
        .order_by("-created_at")[:200],
        "ratings": ListeningRating.objects.filter(rater=member, idea__in=ideas.values("pk"))
        .select_related("idea")
        .order_by("-rated_at", "-pk")[:200],
    }


def _when(value):
    return value.isoformat() if value else None


def member_data_export(*, member) -> dict:
    """Everything tied to the account, as plain JSON values (download my data)."""
    idea_type = ContentType.objects.get_for_model(Idea)
    return {
        "format": "idealoop-member-data/1",
        "exported_at": _when(timezone.now()),
        "account": {
            "id": member.pk,
            "username": member.username,
            "email": member.email,
            "display_name": member.display_name,
            "public_name": member.public_name,
            "bio": member.bio,
            "language": member.language,
            "avatar": member.avatar.url if member.avatar else None,
            "date_joined": _when(member.date_joined),
            "last_login": _when(member.last_login),
            "roles": sorted(member.role_names),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        "ideas": [
            {
                "id": idea.pk,
                "title": idea.title,
                "body": idea.body,
                "product_area": idea.category.name,
                "tags": sorted(tag.name for tag in idea.tags.all()),
                "status": idea.status,
                "visibility": idea.visibility,
                "created_at": _when(idea.created_at),
                "url": idea.get_absolute_url(),
            }
            for idea in Idea.objects.filter(author=member)
            .select_related("category")
            .prefetch_related("tags")
            .order_by("pk")
        ],
        "comments": [
            {
                "id": c.pk,
                "idea_id": c.idea_id,
                "parent_id": c.parent_id,
                "body": c.body,
                "official": c.is_official,
                "created_at": _when(c.created_at),
                "edited_at": _when(c.edited_at),
                "removed_at": _when(c.deleted_at),
            }
            for c in Comment.objects.filter(author=member).order_by("pk")
        ],
        "votes": [
            {"idea_id": int(v.object_id), "vote": v.vote, "at": _when(v.time_stamp)}
            for v in Vote.objects.filter(user=member, content_type=idea_type).order_by("pk")
        ],
        "follows": [
            {"idea_id": f.idea_id, "since": _when(f.created_at)}
            for f in Follow.objects.filter(user=member).order_by("pk")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "text": texts.shown(n),
                "url": n.url,
                "created_at": _when(n.created_at),
                "read_at": _when(n.read_at),
            }
            for n in Notification.objects.filter(user=member).order_by("pk")
        ],
        "listening_ratings": [
            {
                "idea_id": r.idea_id,
                "stage": r.stage,
                "score": r.score,
                "comment": r.comment,
                "rated_at": _when(r.rated_at),
            }
            for r in ListeningRating.objects.filter(rater=member).order_by("pk")
        ],
        "email_preferences": {
            p.kind: p.frequency for p in EmailPreference.objects.filter(user=member).order_by("pk")
        },
        "flags": [
            {
                "idea_id": f.idea_id,
                "comment_id": f.comment_id,
                "reason": f.reason,
                "text": f.text,
                "created_at": _when(f.created_at),
            }
            for f in Flag.objects.filter(reporter=member).order_by("pk")
        ],
        # Names and prefixes only: a token's secret is never stored.
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "scope": t.scope,
                "created_at": _when(t.created_at),
                "last_used_at": _when(t.last_used_at),
                "revoked_at": _when(t.revoked_at),
            }
            for t in member.personal_api_tokens.order_by("pk")
        ],
        "suspensions": [
            {
                "reason": s.reason,
                "created_at": _when(s.created_at),
                "ends_at": _when(s.ends_at),
                "lifted_at": _when(s.lifted_at),
            }
            for s in Suspension.objects.filter(member=member).order_by("pk")
        ],
    }

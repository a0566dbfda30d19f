from django.contrib.auth import get_user_model
from django.db.models import Sum

from ideas.selectors import member_comments, member_ideas


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
        "comments": member_comments(member=member)[:50],
        "points": points,
    }

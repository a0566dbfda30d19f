"""Members' public profiles, and the caller's own account and notifications."""

from ninja import Field as F
from ninja import Query, Router, Schema

from community.api import auth, pagination, present
from community.api.errors import Error
from community.api.schemas import MarkedOut, MarkReadIn, MeOut, NotificationPage, ProfileOut
from community.core.exceptions import MemberNotFound
from community.members import selectors as member_selectors
from community.notifications import selectors as notification_selectors
from community.notifications import services as notification_services
from ideas.presenters import notification_text

router = Router(tags=["members"])
ERRORS = {status: Error for status in (400, 401, 403, 404, 429)}


@router.get("/members/{username}", response={200: ProfileOut, **ERRORS}, auth=auth.public())
def member_profile(request, username: str):
    """A member's public profile: their published ideas and points."""
    member = member_selectors.member_by_username(username[:150])
    if member is None:
        raise MemberNotFound()
    profile = member_selectors.member_profile(member=member, viewer=request.user)
    return {
        "username": member.username,
        "name": member.public_name,
        "bio": member.bio,
        "role": member.role if member.is_staff_member else None,
        "joined": member.date_joined,
        "points": profile["points"],
        "ideas": [present.idea(idea, viewer=request.user) for idea in profile["ideas"]],
    }


@router.get("/me", response={200: MeOut, **ERRORS}, auth=auth.member(), tags=["me"])
def me(request):
    """Who the token or session acts as."""
    user = request.user
    token = getattr(request, "api_token", None)
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.public_name,
        "email": user.email,
        "role": user.role,
        "scope": token.scope if token else "session",
        "unread_notifications": notification_selectors.unread_count(user),
    }


class NotificationFilters(Schema):
    cursor: str | None = F(None, max_length=500)
    limit: int = F(20, ge=1, le=100)


@router.get(
    "/me/notifications", response={200: NotificationPage, **ERRORS}, auth=auth.member(), tags=["me"]
)
def notification_list(request, filters: Query[NotificationFilters]):
    """Your notifications, newest first."""
    items, next_cursor = pagination.keyset_page(
        notification_selectors.notifications_for(request.user),
        order=("-created_at", "-id"),
        name="notifications",
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {
        "items": [
            {
                "id": n.pk,
                "kind": n.kind,
                "idea_id": n.idea_id,
                "text": notification_text(request.user, n),
                "url": n.url,
                "created_at": n.created_at,
                "read_at": n.read_at,
            }
            for n in items
        ],
        "next_cursor": next_cursor,
    }


@router.post(
    "/me/notifications/read",
    response={200: MarkedOut, **ERRORS},
    auth=auth.member(auth.WRITE),
    tags=["me"],
)
def notifications_mark_read(request, payload: MarkReadIn):
    """Mark one notification read, or all of them."""
    marked = notification_services.notifications_mark_read(
        user=request.user, notification_id=payload.id
    )
    return {"marked": marked}

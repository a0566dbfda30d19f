from django.conf import settings

from community.notifications.selectors import unread_count
from community.permissions import can_manage_webhooks


def member_slots(request) -> dict:
    """What a member's own parts of a shared page copy are drawn with (community.pagecache)."""
    return {"user": request.user, **site(request)}


def site(request):
    """Values every page template needs, computed once per request."""
    user = getattr(request, "user", None)
    unread = None
    webhooks = False
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
        # Called only by the templates that ask (the staff area's menu): no query elsewhere.
        webhooks = lambda: can_manage_webhooks(user)  # noqa: E731
    return {
        "unread_notifications": unread,
        "can_manage_webhooks": webhooks,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "search_backend": "elasticsearch" if settings.ELASTICSEARCH_URL else "database",
    }

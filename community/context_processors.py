from django.conf import settings

from community.notifications.selectors import unread_count


def site(request):
    """Values every page template needs, computed once per request."""
    user = getattr(request, "user", None)
    unread = None
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
    return {
        "unread_notifications": unread,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "search_backend": "elasticsearch" if settings.ELASTICSEARCH_URL else "database",
    }

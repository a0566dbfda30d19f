from django.conf import settings


def site(request):
    """Values every page template needs, computed once per request."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "search_backend": "elasticsearch" if settings.ELASTICSEARCH_URL else "database",
    }

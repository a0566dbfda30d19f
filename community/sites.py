"""Django's Site record, named after SITE_URL.

allauth writes the site's domain and name into its emails ("Welcome to
example.com" otherwise). The record follows the setting after every migrate
(and a test database's flush), and `load_demo` asks again.
"""

from urllib.parse import urlsplit

from django.conf import settings


def site_record_sync(*, using: str = "default", **kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.WAGTAIL_SITE_NAME}
    )

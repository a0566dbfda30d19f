"""Writes to the page tree."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage


@transaction.atomic
def home_page_ensure(*, title: str = "Home") -> HomePage:
    """Make sure the site has a HomePage at its root, and return it.

    Idempotent: demo data and fresh test databases both call it. Wagtail's own
    migration leaves a placeholder welcome page; it is replaced here.
    """
    home = HomePage.objects.first()
    if home is not None:
        return home

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    root.get_children().exclude(id__in=HomePage.objects.values("id")).filter(slug="home").delete()
    home = root.add_child(instance=HomePage(title=title, slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Idealoop",
        )
    else:
        site.root_page = home
        site.site_name = "Idealoop"
        site.save()
    return home

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from ideas.models import Idea


class IdeaSitemap(Sitemap):
    """Published ideas anyone may read; pages come from Wagtail's own sitemap."""

    changefreq = "daily"
    limit = 5000

    def items(self):
        ideas = Idea.objects.published().for_audience(AnonymousUser())
        return ideas.only("pk", "slug", "last_activity_at").order_by("pk")

    def lastmod(self, item: Idea):
        return item.last_activity_at

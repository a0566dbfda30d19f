from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from cms import feeds
from cms import views as cms_views
from cms.sitemaps import IdeaSitemap
from community.api import views as api_views
from community.api.main import api
from community.health import healthz
from community.media import media
from community.members import views as member_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The language switcher posts to i18n/setlang/ (kept on a signed-in account for its
    # emails); scripts read their strings from jsi18n/.
    path("i18n/setlang/", member_views.language_set, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["community"]), name="javascript-catalog"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<path>.*)$", api_views.api_not_found),
    path("account/api-tokens/", include("community.api.urls")),
    path("ideas/", include("ideas.urls")),
    path("ideas/", include("community.moderation.urls")),
    path("search/", include("search.urls")),
    path("listening/", include("ideas.listening.urls")),
    path("roadmap/", include("ideas.roadmap.urls")),
    path("staff/", include("community.staff_urls")),
    path("", include("community.members.urls")),
    path("notifications/", include("community.notifications.urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
    path("feeds/ideas/rss/", feeds.NewIdeasFeed(), name="feed_ideas_rss"),
    path("feeds/ideas/atom/", feeds.NewIdeasAtomFeed(), name="feed_ideas_atom"),
    path("feeds/stories/rss/", feeds.NewStoriesFeed(), name="feed_stories_rss"),
    path("feeds/stories/atom/", feeds.NewStoriesAtomFeed(), name="feed_stories_atom"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": {"pages": PageSitemap, "ideas": IdeaSitemap}},
        name="sitemap",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    # Development and tests only: in production the load balancer or a CDN serves media.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media),
    ]

# Wagtail serves every other path from the page tree, so it comes last; its pages
# go through the page cache for anonymous visitors (cms/views.py).
urlpatterns += [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(serve_pattern, cms_views.page_serve, name="wagtail_serve"),
]

handler400 = "community.core.error_pages.bad_request"
handler403 = "community.core.error_pages.permission_denied"
handler404 = "community.core.error_pages.page_not_found"
handler500 = "community.core.error_pages.server_error"

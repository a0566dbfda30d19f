"""Wagtail's pages, served to anonymous visitors from the shared page cache.

Every page type may list ideas (the home page's trending ideas, a session's
ideas, a story's shipped ideas), so each names the idea lists' family; the
site family (any page published, moved or deleted) is named by every cached page.
"""

from wagtail import views as wagtail_views

from community.pagecache import cached_for_visitors
from ideas.events import IDEA_LISTS

page_serve = cached_for_visitors(families=lambda request, path: [IDEA_LISTS])(wagtail_views.serve)

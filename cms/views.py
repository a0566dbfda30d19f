"""Wagtail's pages, served from the shared page cache to visitors and to the members
who read them as visitors do.

Every page type may list ideas (the home page's trending ideas, a session's
ideas, a story's shipped ideas), so each names the idea lists' family; the
site family (any page published, moved, deleted or restricted) is named by
every cached page. A page behind a view restriction (a login, a group, a
password) is never stored: Wagtail marks its every answer, the page itself, the
password form and the redirect to sign in, as not to be cached, so each member
and visitor gets their own.
"""

from wagtail import views as wagtail_views

from community.pagecache import cached_for_visitors
from ideas.events import IDEA_LISTS
from ideas.selectors import reads_as_visitor

page_serve = cached_for_visitors(
    families=lambda request, path: [IDEA_LISTS], members=reads_as_visitor
)(wagtail_views.serve)

"""Wagtail's signals, heard in one place.

Wagtail announces publishing (from the editor, the scheduler or code) only
through `page_published`, so it is where a story's first publish is heard,
and a Storm Session's new audience. The handlers only hand over to one
service (or queue its task); the service decides the rest.

Any page published, unpublished, moved, deleted, restricted or freed of a
restriction can change every page (the menus, the home page's stories and
sessions, an idea's story link), so each starts a new generation of the cached
pages once it commits (`community.pagecache.site_changed`).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms import services, tasks
from cms.models import StormSessionPage, StoryPage
from community import pagecache
from community.core.tasks import enqueue


def story_published(sender, instance, **kwargs):
    # Queued with the publish (database queue), so a rolled-back publish tells nobody.
    enqueue(tasks.story_published, story_id=instance.pk)


def storm_session_published(sender, instance, **kwargs):
    # At once, not queued: the search documents' queue is itself an outbox.
    services.storm_session_published(session_id=instance.pk)


def connect() -> None:
    for name, signal in [
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ]:
        signal.connect(pagecache.site_changed, dispatch_uid=f"cms.pagecache.{name}")
    # Page only (every page's row is deleted with it): a receiver for every model would
    # stop Django's fast deletes everywhere.
    post_delete.connect(pagecache.site_changed, sender=Page, dispatch_uid="cms.pagecache.delete")
    # A page made private leaves the visitors' copies (its own, the lists naming it) at once.
    for name, signal in [("saved", post_save), ("deleted", post_delete)]:
        signal.connect(
            pagecache.site_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"cms.pagecache.restriction.{name}",
        )
    page_published.connect(story_published, sender=StoryPage)
    page_published.connect(storm_session_published, sender=StormSessionPage)

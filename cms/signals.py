"""Wagtail's signals, heard in one place.

Wagtail announces publishing (from the editor, the scheduler or code) only
through `page_published`, so it is where a story's first publish is heard,
and a Storm Session's new audience. The handlers only hand over to one
service (or queue its task); the service decides the rest.
"""

from wagtail.signals import page_published

from cms import services, tasks
from cms.models import StormSessionPage, StoryPage
from community.core.tasks import enqueue


def story_published(sender, instance, **kwargs):
    # Queued with the publish (database queue), so a rolled-back publish tells nobody.
    enqueue(tasks.story_published, story_id=instance.pk)


def storm_session_published(sender, instance, **kwargs):
    # At once, not queued: the search documents' queue is itself an outbox.
    services.storm_session_published(session_id=instance.pk)


def connect() -> None:
    page_published.connect(story_published, sender=StoryPage)
    page_published.connect(storm_session_published, sender=StormSessionPage)

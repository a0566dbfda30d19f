"""Wagtail's signals, heard in one place.

Wagtail announces publishing (from the editor, the scheduler or code) only
through `page_published`, so it is where a story's first publish is heard.
The handler only queues the work; the task's service decides the rest.
"""

from wagtail.signals import page_published

from cms import tasks
from cms.models import StoryPage
from community.core.tasks import enqueue


def story_published(sender, instance, **kwargs):
    # Queued with the publish (database queue), so a rolled-back publish tells nobody.
    enqueue(tasks.story_published, story_id=instance.pk)


def connect() -> None:
    page_published.connect(story_published, sender=StoryPage)

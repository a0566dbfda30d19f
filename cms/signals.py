"""Wagtail's signals, heard in one place.

Wagtail announces publishing (from the editor, the scheduler or code) only
through `page_published`, so it is where a story's first publish is heard.
The handler only queues work after commit; the service decides the rest.
"""

from django.db import transaction
from wagtail.signals import page_published

from cms.models import StoryPage
from cms.services import story_followers_notify


def story_published(sender, instance, **kwargs):
    transaction.on_commit(lambda: story_followers_notify(story_id=instance.pk))


def connect() -> None:
    page_published.connect(story_published, sender=StoryPage)

from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site pages"

    def ready(self):
        # Wagtail announces publishing (from the editor, the scheduler or code)
        # only through this signal, so it is where a story's first publish is heard.
        from wagtail.signals import page_published

        from cms.models import StoryPage

        page_published.connect(_story_published, sender=StoryPage)


def _story_published(sender, instance, **kwargs):
    from django.db import transaction

    from cms.services import story_followers_notify

    transaction.on_commit(lambda: story_followers_notify(story_id=instance.pk))

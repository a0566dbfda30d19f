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
    from cms.tasks import story_published
    from community.core.tasks import enqueue

    # Queued with the publish (database queue), so a rolled-back publish tells nobody.
    enqueue(story_published, story_id=instance.pk)

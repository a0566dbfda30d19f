from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site pages"

    def ready(self):
        from cms import signals  # models load first, so signals import them in ready()

        signals.connect()

        from cms.selectors import public_stories_by_idea
        from community.models import Notification
        from community.notifications import extras

        # The shipped email names the idea's story (community.notifications.extras).
        extras.register(Notification.Kind.SHIPPED)(public_stories_by_idea)

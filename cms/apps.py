from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site pages"

    def ready(self):
        from cms import signals  # models load first, so signals import them in ready()

        signals.connect()

        from cms.selectors import (
            public_stories_by_idea,
            storm_session_audience,
            storm_session_next_change,
        )
        from cms.services import SESSION_CLOSED, SESSION_OPEN
        from community import pagecache
        from community.models import Notification
        from community.notifications import audiences, extras

        # The shipped email names the idea's story (community.notifications.extras).
        extras.register(Notification.Kind.SHIPPED)(public_stories_by_idea)
        # Who hears that a Storm Session opened or closed (community.notifications.audiences).
        audiences.register(SESSION_OPEN)(storm_session_audience)
        audiences.register(SESSION_CLOSED)(storm_session_audience)
        # Cached pages last only until a session opens or closes (community.pagecache).
        pagecache.clock_register(storm_session_next_change)

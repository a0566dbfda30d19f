from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        # Registers the audiences the notification worker resolves ("idea.followers").
        from ideas import events  # noqa: F401

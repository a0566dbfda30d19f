from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site pages"

    def ready(self):
        from cms import signals  # models load first, so signals import them in ready()

        signals.connect()

from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate
        from django.urls import register_converter

        from community.core.ids import IdConverter

        register_converter(IdConverter, "id")  # before any URLconf is loaded
        from community.core.db_pool import restart_recovery_install

        restart_recovery_install()

        from community.sites import site_record_sync

        post_migrate.connect(site_record_sync, dispatch_uid="community.site_record_sync")

        from django.contrib.auth.signals import user_logged_in

        from community.members.services import language_remember_at_sign_in

        user_logged_in.connect(language_remember_at_sign_in, dispatch_uid="community.language")

        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_save

        from community.members import signals

        user_model = get_user_model()
        groups = user_model.groups.through
        m2m_changed.connect(signals.groups_changed, sender=groups, dispatch_uid="community.groups")
        post_save.connect(signals.account_saved, sender=user_model, dispatch_uid="community.rights")

        from community import pagecache
        from community.context_processors import member_slots

        pagecache.member_context_register(member_slots)

from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        # Registers the audiences the notification worker resolves ("idea.followers").
        from community import pagecache
        from ideas import events  # noqa: F401
        from ideas.selectors import member_votes

        # A member served the visitors' copy of a list sees their own votes.
        pagecache.slot_chooser("vote")(member_votes)

from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        # Registers the audiences the notification worker resolves ("idea.followers").
        from community import pagecache
        from ideas import events  # noqa: F401
        from ideas.presenters import READER, idea_page_variants
        from ideas.selectors import member_votes

        # A member served the visitors' copy of a list or an idea page sees their own
        # votes, and on the idea page what they may do.
        pagecache.slot_chooser("vote")(member_votes)
        pagecache.slot_chooser(READER)(idea_page_variants)

"""Background work for the page tree: thin wrappers taking ids."""

from django_tasks import task

from cms.services import story_followers_notify


@task()
def story_published(story_id: int) -> int:
    """Tell the followers of a newly published story's ideas (once per story)."""
    return story_followers_notify(story_id=story_id)

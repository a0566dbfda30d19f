"""Who may rate how well they were heard on an idea, and at which stage: the one rule.

- After the first human staff answer (an official response, or a status
  change's public message), the idea's author may rate the "answered" stage.
- Once the idea is decided (planned, in progress, shipped, partially shipped,
  not planned), its author and everyone who voted on it may rate "decided".
Rating is taking part: it needs a verified, unsuspended member, and an idea
customers can see.
"""

from community import permissions
from ideas.listening.models import ListeningRating
from ideas.models import DECIDED_STATUSES

Stage = ListeningRating.Stage


def stages_open(*, viewer, idea, voted: bool) -> list[str]:
    """The stages `viewer` may rate on `idea` now, latest first; `voted`: they voted on it."""
    if not idea.is_visible_to_customers or not permissions.can_participate(viewer):
        return []
    is_author = idea.author_id == viewer.pk
    stages = []
    if idea.status in DECIDED_STATUSES and (is_author or voted):
        stages.append(Stage.DECIDED)
    if idea.first_staff_response_at is not None and is_author:
        stages.append(Stage.ANSWERED)
    return stages

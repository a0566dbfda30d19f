"""Who may rate how well they were heard on an idea, and at which stage: the one rule.

- After the first human staff answer (an official response, or a status
  change's public message), the idea's author may rate the "answered" stage.
- Once the idea is decided (planned, in progress, shipped, partially shipped,
  not planned), its author and everyone who voted on it may rate "decided".
Rating is taking part: it needs a verified, unsuspended member, and an idea
customers can see.
"""

from collections.abc import Callable

from community import permissions
from ideas.listening.models import ListeningRating
from ideas.models import DECIDED_STATUSES

Stage = ListeningRating.Stage


def stages_open(*, viewer, idea, voted: Callable[[], bool]) -> list[str]:
    """The stages `viewer` may rate on `idea` now, latest first.

    `voted()` says whether they voted on it; it is asked only when it matters
    (the idea page calls this for every signed-in reader).
    """
    if not idea.is_visible_to_customers or not permissions.is_member(viewer):
        return []
    is_author = idea.author_id == viewer.pk
    stages = []
    if idea.status in DECIDED_STATUSES and (is_author or voted()):
        stages.append(Stage.DECIDED)
    if idea.first_staff_response_at is not None and is_author:
        stages.append(Stage.ANSWERED)
    if stages and not permissions.can_participate(viewer):
        return []
    return stages

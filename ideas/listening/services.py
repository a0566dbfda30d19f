"""Writes: a customer's rating of how well they were heard."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from voting.models import Vote

from community.core.exceptions import InvalidInput, NotAllowed
from community.permissions import require_participant
from ideas.listening.models import ListeningRating
from ideas.listening.permissions import Stage, stages_open
from ideas.models import Idea
from ideas.services.rules import lock_idea, require_open

COMMENT_MAX = 300
SCORES = range(0, 11)


def has_voted(*, user, idea: Idea) -> bool:
    return Vote.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(Idea), object_id=str(idea.pk)
    ).exists()


@transaction.atomic
def rating_set(
    *,
    rater,
    idea_id: int,
    stage: str,
    score: int,
    comment: str = "",
    now: datetime | None = None,
) -> ListeningRating:
    """Give or change one's 0–10 rating of an idea at a stage (one per person per stage).

    The idea row is locked, so two submissions in flight update one row.
    """
    require_participant(rater)
    now = now or timezone.now()
    if stage not in Stage.values:
        raise InvalidInput(_("That is not a stage of an idea you can rate."))
    if not isinstance(score, int) or isinstance(score, bool) or score not in SCORES:
        raise InvalidInput(_("Choose a rating from 0 (not at all) to 10 (very well)."))
    comment = " ".join((comment or "").split())
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(
            _("The sentence can be at most %(COMMENT_MAX)s characters long.")
            % {"COMMENT_MAX": COMMENT_MAX}
        )
    idea = lock_idea(idea_id)
    require_open(idea)
    if stage not in stages_open(
        viewer=rater, idea=idea, voted=lambda: has_voted(user=rater, idea=idea)
    ):
        if stage == Stage.ANSWERED:
            raise NotAllowed(
                _("Only the idea's author can rate our first answer, once it is given.")
            )
        raise NotAllowed(
            _("The idea's author and its voters can rate how they were heard once it is decided.")
        )
    rating, created = ListeningRating.objects.get_or_create(
        idea=idea,
        rater=rater,
        stage=stage,
        defaults={"score": score, "comment": comment, "created_at": now, "rated_at": now},
    )
    if not created and (rating.score, rating.comment) != (score, comment):
        rating.score, rating.comment, rating.rated_at = score, comment, now
        rating.save(update_fields=["score", "comment", "rated_at"])
    return rating

"""Staff actions: official responses, status changes, assignment, merging, staff figures.

Each needs a token with the staff scope (or the site's session); the services
then check the member's role, so a refused action is a 403 that changes nothing.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from community import permissions
from community.api import auth, present
from community.api.errors import Error
from community.api.routers.ideas import ERRORS, _idea_out
from community.api.schemas import (
    AssignmentIn,
    IdeaOut,
    MergeIn,
    MergeOut,
    OfficialResponseIn,
    StaffFiguresOut,
    StatusChangeIn,
    ThreadOut,
)
from community.core.exceptions import NotAllowed
from ideas import selectors, services
from ideas.triage import metrics
from ideas.triage import services as triage
from ideas.triage.services import UNCHANGED

router = Router(tags=["staff"])
STAFF = auth.member(auth.STAFF)


@router.post(
    "/ideas/{id:idea_id}/official-responses", response={201: ThreadOut, **ERRORS}, auth=STAFF
)
def official_response_create(request, idea_id: int, payload: OfficialResponseIn):
    """Answer in the company's name. A near-copy of an earlier answer is a 409 until
    `near_copy_acknowledged` is true."""
    selectors.idea_for(pk=idea_id, viewer=request.user)
    comment = services.comment_create(
        author=request.user,
        idea_id=idea_id,
        body=payload.body,
        official=True,
        near_copy_acknowledged=payload.near_copy_acknowledged,
    )
    return Status(201, {**present.comment(comment, viewer=request.user), "replies": []})


@router.post("/ideas/{id:idea_id}/status", response={200: IdeaOut, **ERRORS}, auth=STAFF)
def status_change(request, idea_id: int, payload: StatusChangeIn):
    """Move the idea along the workflow with a public explanation."""
    services.idea_status_change(
        actor=request.user, idea_id=idea_id, to_status=payload.status, message=payload.message
    )
    return _idea_out(request, idea_id)


@router.post("/ideas/{id:idea_id}/assignment", response={200: IdeaOut, **ERRORS}, auth=STAFF)
def assignment_set(request, idea_id: int, payload: AssignmentIn):
    """Set the owner (null: nobody) and/or the product area; fields left out stay as they are."""
    given = payload.model_fields_set
    triage.idea_assign(
        actor=request.user,
        idea_id=idea_id,
        owner_id=payload.owner_id if "owner_id" in given else UNCHANGED,
        category_id=(
            payload.product_area_id
            if "product_area_id" in given and payload.product_area_id is not None
            else UNCHANGED
        ),
    )
    return _idea_out(request, idea_id)


@router.post("/ideas/{id:idea_id}/merge", response={200: MergeOut, **ERRORS}, auth=STAFF)
def merge(request, idea_id: int, payload: MergeIn):
    """Merge this idea into the one it repeats: its votes and followers move there."""
    result = services.idea_merge(
        actor=request.user, duplicate_id=idea_id, into_id=payload.into_id, message=payload.message
    )
    return {
        "duplicate": _idea_out(request, result.duplicate.pk),
        "into": _idea_out(request, result.into.pk),
        "moved_votes": result.moved_votes,
        "dropped_votes": result.dropped_votes,
        "moved_followers": result.moved_followers,
    }


@router.get(
    "/staff/figures",
    response={200: StaffFiguresOut, 401: Error, 403: Error, 429: Error},
    auth=STAFF,
)
def staff_figures(request):
    """Answered within target, time to first answer, decided, shipped: by month and area."""
    if not permissions.can_triage(request.user):
        raise NotAllowed(_("Only staff can read the staff figures."))
    figures = metrics.staff_figures(now=timezone.now())
    return {
        "since": figures.since,
        "target_hours": figures.target.total_seconds() / 3600,
        "total": present.figures_row(figures.total),
        "by_month": [present.figures_row(row) for row in figures.by_month],
        "by_area": [present.figures_row(row) for row in figures.by_area],
    }

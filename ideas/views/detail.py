"""The idea page and its live catch-up."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from community import permissions
from community.core.http import (
    handles_domain_errors,
)
from community.pagecache import cached_for_visitors
from ideas import permissions as idea_permissions
from ideas import selectors
from ideas.events import SHOWN_IDEAS, idea_page
from ideas.forms import (
    CommentForm,
    StatusChangeForm,
)
from ideas.models import Idea, Status
from ideas.presenters import with_comment_actions
from realtime.api import idea_events_after, idea_last_seq
from search.api import related_ideas

SEQ_MAX = 2**31 - 1  # stream sequence numbers are PositiveIntegerField


def render_detail(request, pk: int, *, status: int = 200, **forms):
    detail = selectors.idea_detail(pk=pk, viewer=request.user)
    idea = detail.idea
    now = timezone.now()
    with_comment_actions(detail.thread, viewer=request.user, idea=idea, now=now)
    context = {
        "detail": detail,
        "idea": idea,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "status_form": forms.get("status_form")
        or StatusChangeForm(initial={"status": idea.status}),
        "can_participate": permissions.can_participate(request.user),
        "is_open": idea_permissions.is_open_for_participation(idea),
        "can_edit": idea_permissions.can_edit_idea(request.user, idea, now),
        "can_withdraw": idea_permissions.can_withdraw_idea(request.user, idea),
        "is_staff": permissions.is_staff(request.user),
        "can_triage": permissions.can_triage(request.user),
        "can_respond": permissions.can_respond_officially(request.user),
        "can_change_status": permissions.can_change_status(request.user)
        and idea.status != Status.DUPLICATE,
        "related": related_ideas(
            " ".join([idea.title, *(tag.name for tag in idea.tag_list)]),
            exclude_id=idea.pk,
            audience=permissions.audience_groups(request.user),
        ),
        "last_seq": idea_last_seq(idea_id=idea.pk),
        "now": now,
        # Moderation: flag links for members, actions and revisions for staff.
        "can_moderate": permissions.can_moderate(request.user),
        "can_see_hidden": permissions.can_see_hidden(request.user),
        "can_flag_idea": idea_permissions.can_flag_idea(request.user, idea),
        "is_suspended": permissions.is_suspended(request.user),
    }
    return render(request, "ideas/idea_detail.html", context, status=status)


def _idea_families(request, pk: int, slug: str | None = None) -> list[str]:
    # Its own family, and SHOWN_IDEAS for what it names of others (related ideas, a
    # merge's survivor) appearing or going.
    return [SHOWN_IDEAS, idea_page(pk)]


@require_GET
@cached_for_visitors(families=_idea_families, members=selectors.reads_as_visitor)
@handles_domain_errors
def idea_detail(request, pk: int, slug: str | None = None):
    idea = get_object_or_404(
        Idea.objects.only("pk", "slug", "visibility", "author_id", "storm_session_id"), pk=pk
    )
    if not idea_permissions.can_view_idea(request.user, idea):
        raise Http404("No idea with that number.")
    if slug != idea.slug:
        # Old slugs (after a title edit) and bare ids land on the canonical URL.
        return redirect(idea.get_absolute_url(), permanent=True)
    return render_detail(request, pk)


@require_GET
def idea_events(request, pk: int):
    """What a live page missed while offline: stored events after `after`, and the counts."""
    idea = Idea.objects.filter(pk=pk).first()
    if idea is None or not idea_permissions.can_view_idea(request.user, idea):
        return JsonResponse(
            {"error": "That idea does not exist or is no longer available."}, status=404
        )
    after = request.GET.get("after") or "0"
    if not (after.isascii() and after.isdigit()):
        return JsonResponse({"error": "`after` must be a whole number."}, status=400)
    after = min(int(after), SEQ_MAX)  # beyond any sequence number: nothing after it
    return JsonResponse(
        {
            "events": idea_events_after(idea_id=pk, after=after),
            "counts": {
                "score": idea.score,
                "promotes": idea.promotes,
                "demotes": idea.demotes,
                "supporters": idea.supporters,
            },
        }
    )

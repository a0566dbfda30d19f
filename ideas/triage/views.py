"""The staff area's triage pages: thin views over the triage selectors, metrics and services."""

from django.contrib import messages
from django.core.paginator import EmptyPage, Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from community import configuration, permissions
from community.core.http import error_response, first_error, handles_domain_errors, requires
from community.core.ids import parse_page
from ideas import services
from ideas.forms import StatusChangeForm
from ideas.listening import selectors as listening
from ideas.listening.views import report_context
from ideas.models import Idea
from ideas.services.rules import STATUS_TRANSITIONS
from ideas.triage import exports, metrics
from ideas.triage import selectors as triage
from ideas.triage import services as triage_services
from ideas.triage.forms import MINE, UNASSIGNED, AssignForm, BulkForm, InboxFilterForm, MergeForm
from search.api import similar_ideas

INBOX_PAGE_SIZE = 50
triage_only = requires(
    permissions.can_triage, "The staff area is for the company's staff and moderators."
)


def _inbox_filters(request, form) -> dict:
    data = form.cleaned_data
    owner = data["owner"]
    return {
        "category": data["category"],
        "status": data["status"] or None,
        "owner": request.user if owner == MINE else int(owner) if owner.isdigit() else None,
        "unassigned": owner == UNASSIGNED,
        "storm_session": data["session"],
    }


def _inbox_ideas(request, form):
    return triage.inbox(now=timezone.now(), **_inbox_filters(request, form))


def _csv_response(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@triage_only
def export_ideas(request):
    """The ideas the inbox's filters pick (answered or not) as CSV, streamed."""
    form = InboxFilterForm(request.GET)
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=request.path)
    rows = exports.idea_export(triage.ideas_for_export(**_inbox_filters(request, form)))
    base_url = request.build_absolute_uri("/").rstrip("/")
    day = timezone.now().date().isoformat()
    return _csv_response(exports.idea_rows(rows, base_url=base_url), f"idealoop-ideas-{day}.csv")


@require_GET
@triage_only
def export_figures(request):
    figures = metrics.staff_figures(now=timezone.now())
    day = timezone.now().date().isoformat()
    return _csv_response(exports.figures_rows(figures), f"idealoop-figures-{day}.csv")


@require_GET
@triage_only
def inbox(request):
    form = InboxFilterForm(request.GET, auto_id="filter_%s")
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=request.path)
    page_number = parse_page(request.GET.get("page"))
    try:
        if page_number is None:
            raise EmptyPage("not a page number")
        page = Paginator(_inbox_ideas(request, form), INBOX_PAGE_SIZE).page(page_number)
    except EmptyPage:
        return error_response(request, _("That page of the inbox does not exist."), status=404)
    now = timezone.now()
    ideas = list(page.object_list)
    for idea in ideas:
        idea.is_overdue = triage.is_overdue(
            created_at=idea.created_at, answered_at=idea.first_staff_response_at, now=now
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ideas/triage/inbox.html",
        {
            "filter_form": form,
            "bulk_form": BulkForm(auto_id="bulk_%s"),
            "page_obj": page,
            "ideas": ideas,
            "overdue_count": triage.overdue_count(now=now),
            "target_hours": configuration.current().response_target_hours,
            "query_without_page": f"{query.urlencode()}&" if query else "",
            "can_assign": permissions.can_assign(request.user),
            "can_change_status": permissions.can_change_status(request.user),
        },
    )


@require_POST
@triage_only
@handles_domain_errors
def inbox_bulk(request):
    form = BulkForm(request.POST)
    back = request.POST.get("back") or ""
    back_url = back if back.startswith("/staff/") else "/staff/"
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=back_url)
    changed = triage_services.ideas_bulk_update(
        actor=request.user,
        idea_ids=form.cleaned_data["ideas"],
        **form.changes(),
        to_status=form.cleaned_data["status"] or None,
        message=form.cleaned_data["message"],
    )
    messages.success(
        request,
        ngettext("Updated %(changed)s idea.", "Updated %(changed)s ideas.", changed)
        % {"changed": changed},
    )
    return redirect(back_url)


@require_GET
@triage_only
def overdue(request):
    now = timezone.now()
    groups = triage.overdue_board(now=now)
    return render(
        request,
        "ideas/triage/overdue.html",
        {
            "groups": groups,
            "totals": triage.overdue_totals(groups),
            "overdue_count": triage.overdue_count(now=now),
            "target_hours": configuration.current().response_target_hours,
            "now": now,
        },
    )


@require_GET
@triage_only
def figures(request):
    context = {
        "figures": metrics.staff_figures(now=timezone.now()),
        **report_context(viewer=request.user),
    }
    return render(request, "ideas/triage/figures.html", context)


def _next_in_inbox(request, idea: Idea) -> Idea | None:
    """The next unanswered idea in merit order, so triage can go on from the keyboard."""
    return triage.inbox(now=timezone.now()).exclude(pk=idea.pk).first()


@require_GET
@triage_only
@handles_domain_errors
def idea_triage(request, pk: int, **forms):
    idea = get_object_or_404(
        Idea.objects.select_related("author", "category", "owner", "storm_session", "merged_into"),
        pk=pk,
    )
    return _render_triage(request, idea)


def _render_triage(request, idea: Idea, *, status: int = 200, **forms):
    now = timezone.now()
    transitions = STATUS_TRANSITIONS[idea.status]
    status_form = forms.get("status_form") or StatusChangeForm(auto_id="status_%s")
    status_form.fields["status"].choices = [("", _("Choose a status…"))] + [
        choice for choice in status_form.fields["status"].choices if choice[0] in transitions
    ]
    ratings = listening.idea_ratings(idea=idea)
    context = {
        "idea": idea,
        "ratings": ratings,
        "concentration": triage.support_concentration(idea, now=now),
        "rating_score": listening.listening_score(rating.score for rating in ratings),
        "waiting": now - idea.created_at,
        "overdue": triage.is_overdue(
            created_at=idea.created_at, answered_at=idea.first_staff_response_at, now=now
        ),
        "assign_form": forms.get("assign_form") or AssignForm(auto_id="assign_%s"),
        "status_form": status_form,
        "merge_form": forms.get("merge_form") or MergeForm(auto_id="merge_%s"),
        "merge_candidates": similar_ideas(idea.title, limit=5, exclude_id=idea.pk),
        "recent_comments": idea.comments.filter(deleted_at__isnull=True)
        .select_related("author")
        .order_by("-created_at")[:5],
        "events": idea.status_events.select_related("actor").order_by("-created_at")[:5],
        "next_idea": _next_in_inbox(request, idea),
        "can_assign": permissions.can_assign(request.user),
        "can_respond": permissions.can_respond_officially(request.user),
        "can_change_status": permissions.can_change_status(request.user) and bool(transitions),
        "can_merge": permissions.can_merge(request.user) and idea.merged_into_id is None,
        "target_hours": configuration.current().response_target_hours,
    }
    return render(request, "ideas/triage/idea_triage.html", context, status=status)


@require_POST
@triage_only
@handles_domain_errors
def idea_assign(request, pk: int):
    form = AssignForm(request.POST, auto_id="assign_%s")
    if not form.is_valid():
        idea = get_object_or_404(Idea, pk=pk)
        return _render_triage(request, idea, status=400, assign_form=form)
    triage_services.idea_assign(actor=request.user, idea_id=pk, **form.changes())
    messages.success(request, _("Assignment saved."))
    return redirect("staff:idea", pk=pk)


@require_POST
@triage_only
@handles_domain_errors
def idea_merge(request, pk: int):
    form = MergeForm(request.POST, auto_id="merge_%s")
    if not form.is_valid():
        idea = get_object_or_404(Idea, pk=pk)
        return _render_triage(request, idea, status=400, merge_form=form)
    result = services.idea_merge(
        actor=request.user,
        duplicate_id=pk,
        into_id=form.cleaned_data["into"],
        message=form.cleaned_data["message"],
    )
    messages.success(
        request,
        _(
            "Merged into “%(title)s”: %(moved)s votes moved, "
            "%(dropped)s members already voted there, %(followers)s new followers."
        )
        % {
            "title": result.into.title,
            "moved": result.moved_votes,
            "dropped": result.dropped_votes,
            "followers": result.moved_followers,
        },
    )
    return redirect("staff:idea", pk=pk)

"""Pages: the public listening report, a customer's rating, and the staff CSV export."""

import csv

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community import permissions
from community.core.http import (
    error_response,
    first_error,
    handles_domain_errors,
    login_then_back,
    requires,
)
from community.pagecache import cached_for_visitors
from ideas.events import SHOWN_IDEAS
from ideas.listening import charts, selectors, services
from ideas.listening.forms import RatingForm
from ideas.models import Idea

triage_only = requires(
    permissions.can_triage, "The staff figures are for the company's staff and moderators."
)


def report_context(*, viewer) -> dict:
    """The report and its charts, both shared through the cache (the staff page uses it too),
    and the shipped changes `viewer` may see, picked when the page is asked for."""
    report = selectors.listening_report()
    # The charts' words are in the reader's language: one cached copy per language.
    key = f"listening:charts:v1:{get_language()}:{report.computed_at.timestamp()}"
    chart_svgs = cache.get_or_set(key, lambda: charts.report_charts(report.months), 3600)
    changes = selectors.changes_visible_to(report.changes, viewer=viewer)
    return {"report": report, "charts": chart_svgs, "changes": changes}


@require_GET
@cached_for_visitors(families=lambda request: [SHOWN_IDEAS, selectors.REPORT_PAGES])
def listening_report(request):
    return render(request, "ideas/listening/report.html", report_context(viewer=request.user))


@require_POST
@handles_domain_errors
def rating_set(request, pk: int):
    idea = get_object_or_404(Idea.objects.only("pk", "slug", "visibility", "status"), pk=pk)
    back = f"{idea.get_absolute_url()}#listening"
    if not request.user.is_authenticated:
        return login_then_back(request, back)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=back)
    data = form.cleaned_data
    services.rating_set(
        rater=request.user,
        idea_id=idea.pk,
        stage=data["stage"],
        score=data["score"],
        comment=data["comment"],
    )
    messages.success(request, _("Thank you: your rating is saved. You can change it at any time."))
    return redirect(back)


@require_GET
@triage_only
def figures_csv(request):
    """The staff figures as CSV: total, by month, by product area and by owner."""
    report = selectors.listening_report()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="listening-figures.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "group", "label", "posted", "answered", "answered_share", "answer_due",
            "answered_in_target", "in_target_share", "median_hours_to_first_answer",
            "decided", "decided_share", "shipped", "ratings", "promoters", "passives",
            "detractors", "listening_score",
        ]
    )  # fmt: skip
    groups = [("total", [report.total]), ("month", report.months)]
    groups += [("product_area", report.by_area), ("owner", report.by_owner)]
    for group, rows in groups:
        for row in rows:
            writer.writerow(
                [
                    group, _csv_text(row.label), row.posted, row.answered,
                    _share(row.answered_share), row.answer_due, row.answered_in_target,
                    _share(row.share_in_target), _number(row.median_hours), row.decided,
                    _share(row.decided_share), row.shipped, row.score.count,
                    row.score.promoters, row.score.passives, row.score.detractors,
                    "" if row.score.net is None else row.score.net,
                ]
            )  # fmt: skip
    return response


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _csv_text(text: str) -> str:
    """A label a spreadsheet will not run as a formula (names are typed by people)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

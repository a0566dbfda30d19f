"""The roadmap page: a thin view over the roadmap selector."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from community.core.http import error_response, first_error
from community.pagecache import cached_for_visitors
from ideas.events import SHOWN_IDEAS
from ideas.roadmap import selectors
from ideas.roadmap.forms import RoadmapFilterForm


@require_GET
# The board inside is itself shared for BOARD_SECONDS (its counts may lag that long):
# the page lives no longer, so the two lags never add up past it twice.
@cached_for_visitors(families=lambda request: [SHOWN_IDEAS], seconds=selectors.BOARD_SECONDS)
def roadmap(request):
    form = RoadmapFilterForm(request.GET or None, auto_id="roadmap_%s")
    if form.is_bound and not form.is_valid():
        return error_response(request, first_error(form), back_url=request.path)
    category = form.cleaned_data["area"] if form.is_bound else None
    board_html = selectors.roadmap_board_html(
        viewer=request.user,
        category=category,
        render=lambda board: render_to_string("ideas/roadmap/_board.html", {"board": board}),
    )
    return render(
        request,
        "ideas/roadmap/roadmap.html",
        {"board_html": board_html, "category": category, "filter_form": form},
    )

"""The roadmap page: a thin view over the roadmap selector."""

from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from community.core.http import error_response, first_error
from ideas.roadmap import selectors
from ideas.roadmap.forms import RoadmapFilterForm


@require_GET
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

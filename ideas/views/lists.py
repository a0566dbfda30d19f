"""Idea lists: browse with filters and sorts, and the shipped ideas."""

from django.conf import settings
from django.core.paginator import EmptyPage
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from community.core.http import (
    error_response,
    first_error,
)
from community.core.ids import parse_page
from community.pagecache import cached_for_visitors
from ideas import selectors
from ideas.events import IDEA_LISTS
from ideas.forms import (
    IdeaListForm,
)
from ideas.models import Category, Status


def _query_prefix(request, *names: str) -> str:
    """The current query string without `names`, ready for one more parameter."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


def _lists(request, **kwargs) -> list[str]:
    return [IDEA_LISTS]


@require_GET
@cached_for_visitors(families=_lists, members=selectors.reads_as_visitor)
def idea_list(request):
    form = IdeaListForm(request.GET)
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=request.path)
    params = form.cleaned_data
    sort = params["sort"] or "hot"
    ideas = selectors.idea_list(
        viewer=request.user,
        sort=sort,
        period=params["period"] or "all",
        category=params["category"],
        status=params["status"] or None,
        tag=params["tag"] or None,
        now=timezone.now(),
    )
    count_key = selectors.idea_list_count_key(
        viewer=request.user,
        category=params["category"],
        status=params["status"] or None,
        tag=params["tag"] or None,
        period=params["period"] if sort == "top" else "all",
    )
    try:
        page = selectors.paginate(
            ideas,
            page_number=params["page"] or 1,
            per_page=settings.IDEAS_PER_PAGE,
            count_key=count_key,
        )
    except EmptyPage:
        return error_response(
            request, _("That page is past the end of the list."), status=404, back_url=request.path
        )
    return render(
        request,
        "ideas/idea_list.html",
        {
            "page_obj": page,
            "ideas": page.object_list,
            "sort": sort,
            "period": params["period"] or "all",
            "filters": params,
            "categories": Category.objects.all(),
            "statuses": Status.choices,
            "periods": [
                ("week", _("This week")),
                ("month", _("This month")),
                ("year", _("This year")),
                ("all", _("All time")),
            ],
            "query_without_page": _query_prefix(request, "page"),
            "query_without_sort": _query_prefix(request, "page", "sort", "period"),
            "query_without_period": _query_prefix(request, "page", "period"),
        },
    )


@require_GET
@cached_for_visitors(families=_lists, members=selectors.reads_as_visitor)
def shipped(request):
    page_number = parse_page(request.GET.get("page"))
    try:
        if page_number is None:
            raise EmptyPage("not a page number")
        page = selectors.paginate(
            selectors.shipped_ideas(viewer=request.user),
            page_number=page_number,
            per_page=settings.IDEAS_PER_PAGE,
        )
    except EmptyPage:
        return error_response(request, _("That page does not exist."), status=404)
    return render(request, "ideas/idea_shipped.html", {"page_obj": page, "ideas": page.object_list})

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from community.core.http import error_response, is_htmx
from community.permissions import audience_groups, can_see_hidden
from search import api, selectors
from search.client import is_configured
from search.forms import SearchForm


@require_GET
def search(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return error_response(
            request,
            _("%(field)s: %(error)s") % {"field": field, "error": errors[0]},
            back_url=request.path,
        )
    audience = audience_groups(request.user)
    results = api.search_ideas(
        form.to_request(staff=can_see_hidden(request.user), audience=audience)
    )
    partial = is_htmx(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "results": results,
        "facet_groups": _facet_groups(request, form, results),
        "query_without_page": f"{query.urlencode()}&" if query else "",
        "is_staff": can_see_hidden(request.user),
        "search_configured": is_configured(),
        # Only the full page has the filter form.
        "sessions": [] if partial else selectors.storm_session_choices(audience=audience),
    }
    template = "search/includes/_results.html" if partial else "search/search.html"
    return render(request, template, context)


@require_GET
def similar(request):
    """Ideas like the title being typed into the new-idea form (an htmx partial)."""
    title = request.GET.get("title", "")
    audience = audience_groups(request.user)
    ideas = api.similar_ideas(title, audience=audience) if len(title.strip()) >= 8 else []
    return render(request, "search/includes/_similar.html", {"similar": ideas})


FACET_TITLES = {"status": "Status", "category": "Product area", "tag": "Tag"}


def _facet_groups(request, form, results) -> list[dict]:
    """Each facet value with the link that applies it (or removes it, when applied)."""
    groups = []
    for name, title in FACET_TITLES.items():
        active = form.cleaned_data.get(name) or ""
        links = []
        for facet in results.facets.get(name, []):
            query = request.GET.copy()
            query.pop("page", None)
            is_active = facet.value == active
            if is_active:
                query.pop(name, None)
            else:
                query[name] = facet.value
            links.append({"facet": facet, "url": f"?{query.urlencode()}", "active": is_active})
        if links:
            groups.append({"title": title, "links": links})
    return groups

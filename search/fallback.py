"""Search on the database: the embedded default, and the fallback when
Elasticsearch is unreachable. Same interface as search.queries, fewer frills:
every word must appear somewhere; no typo tolerance or suggestions.
"""

import math
import re

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ideas.models import Idea, Status
from ideas.querysets import TOP_MERIT
from search.results import Facet, Hit, SearchRequest, SearchResults

# Ranked by merit: the score less the votes of suspected voting rings.
SORTS = {
    "relevance": [TOP_MERIT.desc(), "-id"],
    "score": [TOP_MERIT.desc(), "-id"],
    "newest": ["-created_at"],
}
SIGNIFICANT_WORD = re.compile(r"\w{4,}")


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word][:10]


def _matching(words: list[str]):
    query = Q()
    for word in words:
        query &= Q(title__icontains=word) | Q(body__icontains=word) | Q(tags__name__iexact=word)
    return query


def _mark(text: str, words: list[str]) -> str:
    """Escape, then wrap the searched words in <mark> (on the escaped text)."""
    html = escape(text)
    for word in sorted(set(words), key=len, reverse=True):
        html = re.sub(f"({re.escape(escape(word))})", r"<mark>\1</mark>", html, flags=re.I)
    return mark_safe(html)  # noqa: S308 - built from escaped text only


def _hit(idea: Idea, words: list[str]) -> Hit:
    fragment = idea.body[:160] + ("…" if len(idea.body) > 160 else "")
    return Hit(
        id=idea.pk,
        title=idea.title,
        url=idea.get_absolute_url(),
        status=idea.status,
        score=idea.score,
        comment_count=idea.comment_count,
        category=idea.category.name,
        title_html=_mark(idea.title, words),
        fragment_html=_mark(fragment, words),
    )


def search_ideas(request: SearchRequest) -> SearchResults:
    words = _words(request.query)
    ideas = Idea.objects.all()
    if not request.include_hidden:
        ideas = ideas.visible_to_customers()
    ideas = ideas.for_audience_groups(request.audience)
    if words:
        ideas = ideas.filter(pk__in=Idea.objects.filter(_matching(words)).values("pk"))
    if request.created_from:
        ideas = ideas.filter(created_at__date__gte=request.created_from)
    if request.created_to:
        ideas = ideas.filter(created_at__date__lte=request.created_to)
    facets = _facets(ideas)
    if request.status:
        ideas = ideas.filter(status=request.status)
    if request.category:
        ideas = ideas.filter(category__slug=request.category)
    if request.tag:
        ideas = ideas.filter(tags__slug=request.tag)
    if request.storm_session:
        ideas = ideas.filter(storm_session_id=request.storm_session)

    per_page = settings.SEARCH_RESULTS_PER_PAGE
    total = ideas.count()
    start = (request.page - 1) * per_page
    page = ideas.select_related("category").order_by(*SORTS[request.sort])[start : start + per_page]
    return SearchResults(
        hits=[_hit(idea, words) for idea in page],
        total=total,
        page=request.page,
        pages=max(1, math.ceil(total / per_page)),
        facets=facets,
        backend="database",
    )


def _facets(ideas) -> dict[str, list[Facet]]:
    status_labels = dict(Status.choices)
    statuses = ideas.values("status").annotate(n=Count("pk")).order_by("-n")
    categories = (
        ideas.values("category__slug", "category__name").annotate(n=Count("pk")).order_by("-n")
    )
    tags = (
        ideas.values("tags__slug", "tags__name")
        .exclude(tags__slug=None)
        .annotate(n=Count("pk"))
        .order_by("-n")[:20]
    )
    return {
        "status": [Facet(r["status"], status_labels[r["status"]], r["n"]) for r in statuses],
        "category": [Facet(r["category__slug"], r["category__name"], r["n"]) for r in categories],
        "tag": [Facet(r["tags__slug"], r["tags__name"], r["n"]) for r in tags],
    }


def similar_ideas(
    text: str,
    *,
    limit: int = 5,
    exclude_id: int | None = None,
    audience: frozenset[int] | None = frozenset(),
) -> list[Hit]:
    """Published ideas sharing the most significant words with the text."""
    words = list(dict.fromkeys(w.lower() for w in SIGNIFICANT_WORD.findall(text)))[:8]
    if not words:
        return []
    ideas = Idea.objects.visible_to_customers().for_audience_groups(audience)
    ideas = ideas.exclude(pk=exclude_id)
    shared = sum(
        (Case(When(title__icontains=word, then=1), default=0) for word in words),
        Value(0, output_field=IntegerField()),
    )
    matches = (
        ideas.filter(_any_title_word(words))
        .annotate(shared=shared)
        .select_related("category")
        .order_by("-shared", "-score")[:limit]
    )
    return [_hit(idea, words) for idea in matches]


def _any_title_word(words: list[str]) -> Q:
    query = Q()
    for word in words:
        query |= Q(title__icontains=word)
    return query

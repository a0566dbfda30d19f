"""Elasticsearch queries: idea search with facets, similar and related ideas."""

import math
from string import punctuation as PUNCTUATION

from django.conf import settings
from django.utils.html import escape
from elasticsearch.dsl import Q, Search
from elasticsearch.dsl.query import Query

from ideas.models import Status, Visibility
from search.client import get_client
from search.indexing import alias_name
from search.results import Facet, Hit, SearchRequest, SearchResults
from search.selectors import category_labels

# Title first, then tags, the official response, the body and the author.
SEARCH_FIELDS = ["title^4", "tags_text^3", "official_response^2", "body", "author_name"]
# A search first forgives one letter changed after the first three: other
# endings of a word ("laptops" for "laptop", "fans" for "fan") without a
# stemmer, which the node may lack. Tokens are at most 255 characters long, so
# never two edits.
WORD_ENDINGS = {"fuzziness": "AUTO:3,256", "prefix_length": 3, "max_expansions": 20}
# Asked again, it forgives a typo or two per word, by word length.
TYPO_TOLERANCE = {"fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 20}
# Merit is the score less suspected voting rings' votes. An index built before
# it existed has no such field until `search_index rebuild`: it then ranks by score.
MERIT = {"merit": {"order": "desc", "unmapped_type": "integer"}}
SORTS = {
    "relevance": ["_score", MERIT, "-score"],
    "score": [MERIT, "-score", "-created_at"],
    "newest": ["-created_at"],
}
MAX_RESULT_WINDOW = 10_000
# The node has no stop-word filter (no analysis-common module), so more_like_this
# is told which words carry no meaning.
STOP_WORDS = [
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "can",
    "could",
    "for",
    "from",
    "have",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "me",
    "my",
    "no",
    "not",
    "of",
    "on",
    "or",
    "our",
    "please",
    "so",
    "that",
    "the",
    "their",
    "there",
    "these",
    "this",
    "to",
    "too",
    "us",
    "was",
    "we",
    "what",
    "when",
    "which",
    "will",
    "with",
    "would",
    "you",
    "your",
    "add",
    "make",
    "let",
    "allow",
    "should",
]
FEW_RESULTS = 3
# A first answer with fewer ideas than a page is asked again with typo tolerance.
FUZZY_BELOW = 20


def _search() -> Search:
    return Search(using=get_client(), index=alias_name())


def customer_visible() -> Q:
    """Ideas a customer may find: published and not merged into another."""
    # `IdeaQuerySet.visible_to_customers` in Elasticsearch's terms: published, not merged.
    return Q("term", visibility=Visibility.PUBLISHED) & ~Q("term", status=Status.DUPLICATE)


def in_audience(groups: frozenset[int] | None) -> Query | None:
    """`community.permissions.audience_q` in Elasticsearch's terms: ideas limited to no
    group, or to one of the reader's; None (staff) filters nothing."""
    if groups is None:
        return None
    unlimited = ~Q("exists", field="audience_group")
    if not groups:
        return unlimited
    return Q("bool", should=[unlimited, Q("terms", audience_group=sorted(groups))])


def _visible(*, include_hidden: bool, audience: frozenset[int] | None) -> list[Query]:
    """The filters that keep out what the reader may not see."""
    filters = [] if include_hidden else [customer_visible()]
    audience_filter = in_audience(audience)
    return filters if audience_filter is None else [*filters, audience_filter]


def _meaningful(text: str) -> str:
    """The query without the words that carry no meaning, unless that is all it has.

    The node has no stop-word filter: "for the app" alone made three of the
    five words "dark mode for the app" asks for, and every idea's body was
    scored for "the". Phrases still use every word.
    """
    words = [word for word in text.split() if word.lower().strip(PUNCTUATION) not in STOP_WORDS]
    return " ".join(words) or text


def _text_query(text: str, *, tolerance: dict) -> Q:
    # multi_match parses no query syntax, so Lucene special characters are
    # plain text; fuzziness forgives typos; the phrase clause rewards order.
    return Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=_meaningful(text),
                fields=SEARCH_FIELDS,
                minimum_should_match="2<75%",
                **tolerance,
            )
        ],
        should=[
            Q("match_phrase", title={"query": text, "boost": 3}),
            Q("match_phrase", body={"query": text, "slop": 2}),
        ],
    )


def _filters(request: SearchRequest) -> list[Q]:
    filters = _visible(include_hidden=request.include_hidden, audience=request.audience)
    if request.status:
        filters.append(Q("term", status=request.status))
    if request.category:
        filters.append(Q("term", category=request.category))
    if request.tag:
        filters.append(Q("term", tags=request.tag))
    if request.storm_session:
        filters.append(Q("term", storm_session=request.storm_session))
    if request.created_from or request.created_to:
        bounds = {}
        if request.created_from:
            bounds["gte"] = request.created_from.isoformat()
        if request.created_to:
            bounds["lte"] = request.created_to.isoformat() + "||/d"
        filters.append(Q("range", created_at=bounds))
    return filters


def search_ideas(request: SearchRequest) -> SearchResults:
    """One page of ideas with facets, asked with little fuzziness first.

    Fuzziness was most of a search's time (each word expanded into up to 20
    neighbours in each of five fields), and a query that finds a page of ideas
    as typed, give or take its endings, gains mostly noise from more ("screw"
    for "screen", "better" for "battery"). So the first query forgives only
    endings, and asks which words no idea's body has; if one is unknown, or
    fewer than a page of ideas is found, the search is asked again with full
    typo tolerance, and that answer is the one shown.
    """
    per_page = settings.SEARCH_RESULTS_PER_PAGE
    text = request.query
    first = response = _page_search(request, text, WORD_ENDINGS, suggest=True).execute()
    neighbours = _neighbours_of_unknown_words(first) if text else []
    if text and (first.hits.total.value < FUZZY_BELOW or neighbours):
        # Marking fuzzy words is the dearer half of a fuzzy search; where the
        # typos' neighbours are known, those words are marked instead.
        marks = (" ".join([text, *neighbours]), WORD_ENDINGS) if neighbours else None
        response = _page_search(request, text, TYPO_TOLERANCE, marks=marks).execute()
    total = response.hits.total.value
    hits = [_hit(hit) for hit in response.hits]
    return SearchResults(
        hits=hits,
        total=total,
        total_is_lower_bound=response.hits.total.relation == "gte",
        page=request.page,
        pages=max(1, math.ceil(min(total, MAX_RESULT_WINDOW) / per_page)),
        facets=_facets(response.aggregations),
        # Spelling suggestions cost a second, small request: only when results are few.
        suggestion=_suggestion(text) if text and total < FEW_RESULTS else None,
    )


def _page_search(
    request: SearchRequest,
    text: str,
    tolerance: dict,
    *,
    suggest: bool = False,
    marks: tuple[str, dict] | None = None,
) -> Search:
    """The search for a page; `marks` are the words to highlight and their
    tolerance, by default the query's own."""
    per_page = settings.SEARCH_RESULTS_PER_PAGE
    start = (request.page - 1) * per_page
    # Hits are counted exactly up to 10,000; past that the page says "10,000+".
    search = _search()
    query = _text_query(text, tolerance=tolerance) if text else Q("match_all")
    search = search.query(Q("bool", must=[query], filter=_filters(request)))
    search = search.sort(*SORTS[request.sort if text else "score"])
    search = search[start : min(start + per_page, MAX_RESULT_WINDOW)]
    for name, field in (("status", "status"), ("category", "category"), ("tag", "tags")):
        search.aggs.bucket(name, "terms", field=field, size=20)
    if not text:
        return search
    search = search.highlight_options(
        encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], require_field_match=False
    )
    # Each field is highlighted by the words matched in that field alone: it
    # marks the same words, at a fraction of the cost of highlighting with the
    # whole five-field query and its phrases.
    marked, marks_tolerance = marks or (text, tolerance)
    for field, options in (
        ("title", {"number_of_fragments": 0}),
        ("body", {"fragment_size": 160, "number_of_fragments": 1}),
    ):
        words = Q("match", **{field: {"query": marked, **marks_tolerance}})
        search = search.highlight(field, highlight_query=words.to_dict(), **options)
    if suggest:
        # "missing" mode: known words cost one lookup, unknown ones get neighbours.
        search = search.suggest("in_bodies", text, term={"field": "body.plain"})
    return search


def _neighbours_of_unknown_words(response) -> list[str]:
    """Known words near each query word that no idea's body has.

    Words found only in titles count as unknown too: asking again costs time,
    never results, where asking titles as well cost milliseconds on every typo.
    """
    return [option.text for entry in response.suggest.in_bodies for option in entry.options]


def _hit(hit) -> Hit:
    highlight = getattr(hit.meta, "highlight", None)
    title_html = highlight.title[0] if highlight and "title" in highlight else escape(hit.title)
    if highlight and "body" in highlight:
        fragment_html = highlight.body[0]
    else:
        fragment_html = escape(hit.body[:160] + ("…" if len(hit.body) > 160 else ""))
    return Hit(
        id=int(hit.meta.id),
        title=hit.title,
        url=hit.url,
        status=hit.status,
        score=hit.score,
        comment_count=hit.comment_count,
        category=hit.category_name,
        title_html=title_html,
        fragment_html=fragment_html,
    )


def _facets(aggregations) -> dict[str, list[Facet]]:
    status_labels = dict(Status.choices)
    labels = {"status": status_labels, "category": category_labels(), "tag": {}}
    return {
        name: [
            Facet(value=b.key, label=labels[name].get(b.key, b.key), count=b.doc_count)
            for b in getattr(aggregations, name).buckets
        ]
        for name in labels
    }


def _suggestion(text: str) -> str | None:
    """The query with each misspelt word replaced by its best-known neighbour."""
    search = _search().suggest("did_you_mean", text, term={"field": "title.plain"})[:0]
    response = search.execute()
    suggested, changed = [], False
    for entry in response.suggest.did_you_mean:
        if entry.options:
            suggested.append(entry.options[0].text)
            changed = True
        else:
            suggested.append(entry.text)
    return " ".join(suggested) if changed and " ".join(suggested) != text.lower() else None


def similar_ideas(
    text: str,
    *,
    limit: int = 5,
    exclude_id: int | None = None,
    audience: frozenset[int] | None = frozenset(),
) -> list[Hit]:
    """Published ideas like this text, for the new-idea form and the idea page."""
    search = _search().query(
        Q(
            "bool",
            must=[
                Q(
                    "more_like_this",
                    fields=["title", "body", "tags_text"],
                    like=text,
                    min_term_freq=1,
                    min_doc_freq=1,
                    max_query_terms=20,
                    minimum_should_match="30%",
                    stop_words=STOP_WORDS,
                )
            ],
            filter=_visible(include_hidden=False, audience=audience),
            must_not=[Q("ids", values=[exclude_id])] if exclude_id else [],
        )
    )
    return [_hit(hit) for hit in search[:limit].execute()]

"""What a search returns, whichever engine answered."""

from dataclasses import dataclass, field

from ideas.models import Status


@dataclass
class Hit:
    id: int
    title: str
    url: str
    status: str
    score: int
    comment_count: int
    category: str
    # Safe HTML: engine-escaped text with <mark> around the matched words.
    title_html: str
    fragment_html: str

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class Facet:
    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    suggestion: str | None = None
    # True when there are more hits than were counted (past 10,000).
    total_is_lower_bound: bool = False
    # "elasticsearch", or "database" (the embedded default, or a fallback).
    backend: str = "elasticsearch"
    degraded: bool = False


@dataclass(frozen=True)
class SearchRequest:
    query: str = ""
    status: str | None = None
    category: str | None = None
    tag: str | None = None
    storm_session: int | None = None
    created_from: object = None  # date or None
    created_to: object = None
    sort: str = "relevance"
    page: int = 1
    include_hidden: bool = False  # staff only; the view decides
    # The reader's `community.permissions.audience_groups`: ideas of Storm Sessions
    # limited to other groups are left out. None (staff) leaves nothing out; the
    # default, no groups, finds only what everyone may see.
    audience: frozenset[int] | None = frozenset()

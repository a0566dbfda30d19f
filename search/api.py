"""The search app's public functions, for views and other apps' services.

Elasticsearch answers when it is configured and reachable; otherwise the
database does, and the result says so. A search never fails the page.
"""

import logging

from django.db import connection
from elasticsearch import ApiError, TransportError

from community.core.tasks import enqueue
from search import fallback, queries, selectors
from search.breaker import breaker
from search.client import is_configured
from search.models import PendingIndexUpdate, SearchVersion
from search.results import Hit, SearchRequest, SearchResults

logger = logging.getLogger(__name__)

# Errors that mean "Elasticsearch cannot answer right now".
UNAVAILABLE = (TransportError, ApiError, ConnectionError)


def idea_changed(idea_id: int) -> None:
    """Queue the idea's search document for rewriting once this transaction commits.

    The outbox row is part of the caller's transaction: if the write rolls
    back, so does the queued update; if Elasticsearch is down, the row waits.
    """
    if not is_configured():
        return
    versions_bump([idea_id])
    PendingIndexUpdate.objects.create(idea_id=idea_id)
    _enqueue_sync()


def ideas_changed(idea_ids) -> None:
    """`idea_changed` for many ideas at once (one outbox row each, one queued sync)."""
    idea_ids = list(idea_ids)
    if not is_configured() or not idea_ids:
        return
    versions_bump(idea_ids)
    PendingIndexUpdate.objects.bulk_create(PendingIndexUpdate(idea_id=pk) for pk in idea_ids)
    _enqueue_sync()


def versions_bump(idea_ids) -> None:
    """One more change to each idea's document (SearchVersion), in the caller's transaction."""
    table = connection.ops.quote_name(SearchVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (idea_id, version) VALUES (%s, 1) "
            f"ON CONFLICT (idea_id) DO UPDATE SET version = {table}.version + 1",
            [(idea_id,) for idea_id in sorted(set(idea_ids))],  # sorted: no lock-order deadlock
        )


def _enqueue_sync() -> None:
    """Queue a sync with the caller's transaction (database queue) or after its commit.

    A sync finding the outbox already empty does nothing, so extra ones are harmless.
    """
    from search.tasks import sync_search_index

    enqueue(sync_search_index)


def storm_sessions_changed() -> None:
    """A Storm Session's title or audience changed: the search filter's copy is dropped."""
    selectors.storm_session_choices_forget()


def pending_updates_waiting() -> bool:
    """Whether any idea's search document waits to be written (for the outbox sweep)."""
    return is_configured() and PendingIndexUpdate.objects.exists()


def sync_queue() -> None:
    """Queue a sync of whatever waits in the outbox (the scheduler's sweep calls it)."""
    _enqueue_sync()


def index_holds_every_idea() -> bool:
    """Whether the idea index is there with a document per idea (benchmarks that serve
    idea pages rebuild it when not: the page asks it for related ideas)."""
    from search import indexing

    status = indexing.status()
    return bool(status.indices) and status.documents >= status.database


def search_ideas(request: SearchRequest) -> SearchResults:
    if is_configured():
        if breaker.allows():
            try:
                results = queries.search_ideas(request)
            except UNAVAILABLE as exc:
                breaker.failed(exc)
                logger.warning("Elasticsearch search failed, answering from the database: %s", exc)
            else:
                breaker.succeeded()
                return results
        results = fallback.search_ideas(request)
        results.degraded = True
        return results
    return fallback.search_ideas(request)


def similar_ideas(
    text: str,
    *,
    limit: int = 5,
    exclude_id: int | None = None,
    audience: frozenset[int] | None = frozenset(),
) -> list[Hit]:
    """Ideas like this text, as far as a reader with these `audience_groups` may see."""
    text = text.strip()[:500]
    if not text:
        return []
    if is_configured() and breaker.allows():
        try:
            hits = queries.similar_ideas(
                text, limit=limit, exclude_id=exclude_id, audience=audience
            )
        except UNAVAILABLE as exc:
            breaker.failed(exc)
            logger.warning("Elasticsearch similar-ideas failed, using the database: %s", exc)
        else:
            breaker.succeeded()
            return hits
    return fallback.similar_ideas(text, limit=limit, exclude_id=exclude_id, audience=audience)


def related_ideas(
    text: str, *, exclude_id: int, limit: int = 5, audience: frozenset[int] | None = frozenset()
) -> list[Hit]:
    """Ideas like this one, for its page.

    Unlike `similar_ideas` there is no database fallback when Elasticsearch is
    configured but failing: a page view must not pay for a full-table scan.
    """
    if not is_configured():
        return fallback.similar_ideas(text, limit=limit, exclude_id=exclude_id, audience=audience)
    if not breaker.allows():
        return []
    try:
        hits = queries.similar_ideas(text, limit=limit, exclude_id=exclude_id, audience=audience)
    except UNAVAILABLE as exc:
        breaker.failed(exc)
        logger.warning("Elasticsearch related-ideas failed; showing none: %s", exc)
        return []
    breaker.succeeded()
    return hits

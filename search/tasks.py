import logging

from django_tasks import task
from elasticsearch.helpers import BulkIndexError

from community.core.tasks import retry_later
from search import indexing
from search.api import UNAVAILABLE
from search.breaker import breaker

logger = logging.getLogger(__name__)


@task()
def sync_search_index(attempt: int = 1) -> int:
    """Write queued idea documents to Elasticsearch; on failure they stay queued.

    The outbox rows are deleted only once Elasticsearch accepted them. When it
    is unreachable the sync runs again after a backoff (and the scheduler's
    sweep queues one too); while the breaker is open the sync does not ask.
    """
    if not breaker.allows():
        # The scheduler's sweep queues another sync once the breaker lets it ask.
        logger.info("Search index sync skipped: Elasticsearch is failing; the outbox waits")
        return 0
    try:
        synced = indexing.sync_pending()
    except UNAVAILABLE as exc:
        breaker.failed(exc)
        logger.warning("Search index sync failed (%s); the outbox keeps the updates", exc)
        retry_later(sync_search_index, attempt=attempt, error=exc)
        return 0
    except BulkIndexError as exc:  # no index yet, or a bad document: a retry would not help
        logger.warning(
            "Search index sync failed (%s); the outbox keeps the updates for the next sync", exc
        )
        return 0
    breaker.succeeded()
    return synced

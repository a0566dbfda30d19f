import logging

from django_tasks import task
from elasticsearch.helpers import BulkIndexError

from search import indexing
from search.api import UNAVAILABLE
from search.breaker import breaker

logger = logging.getLogger(__name__)


@task()
def sync_search_index() -> int:
    """Write queued idea documents to Elasticsearch; on failure they stay queued.

    While the breaker is open the sync does not ask (it would hold up the
    write that queued it); `manage.py search_index sync` catches up later.
    """
    if not breaker.allows():
        logger.info("Search index sync skipped: Elasticsearch is failing; the outbox waits")
        return 0
    try:
        synced = indexing.sync_pending()
    except UNAVAILABLE as exc:
        breaker.failed(exc)
        logger.warning(
            "Search index sync failed (%s); the outbox keeps the updates for the next sync", exc
        )
        return 0
    except BulkIndexError as exc:
        logger.warning(
            "Search index sync failed (%s); the outbox keeps the updates for the next sync", exc
        )
        return 0
    breaker.succeeded()
    return synced

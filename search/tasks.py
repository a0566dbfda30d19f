import logging

from django_tasks import task
from elasticsearch.helpers import BulkIndexError

from community.core.tasks import retry_later
from search import indexing
from search.api import UNAVAILABLE

logger = logging.getLogger(__name__)


@task()
def sync_search_index(attempt: int = 1) -> int:
    """Write queued idea documents to Elasticsearch.

    On failure they stay queued (the outbox rows are deleted only once
    Elasticsearch accepted them); when Elasticsearch is unreachable the sync
    runs again after a backoff, and the scheduler's sweep queues one too.
    """
    try:
        return indexing.sync_pending()
    except UNAVAILABLE as exc:
        logger.warning("Search index sync failed (%s); the outbox keeps the updates", exc)
        retry_later(sync_search_index, attempt=attempt, error=exc)
    except BulkIndexError as exc:  # no index yet, or a bad document: a retry would not help
        logger.warning("Search index sync failed (%s); the outbox keeps the updates", exc)
    return 0

import logging

from django_tasks import task
from elasticsearch.helpers import BulkIndexError

from search import indexing
from search.api import UNAVAILABLE

logger = logging.getLogger(__name__)


@task()
def sync_search_index() -> int:
    """Write queued idea documents to Elasticsearch; on failure they stay queued."""
    try:
        return indexing.sync_pending()
    except (*UNAVAILABLE, BulkIndexError) as exc:
        logger.warning(
            "Search index sync failed (%s); the outbox keeps the updates for the next sync", exc
        )
        return 0

"""The one place that connects to Elasticsearch."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch


def is_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def node_urls(setting: str) -> list[str]:
    """ELASTICSEARCH_URL names one node or several, separated by commas."""
    return [url.strip() for url in setting.split(",") if url.strip()]


@cache
def _client_for(url: str, timeout: float) -> Elasticsearch:
    # Timeouts are not retried: a second try against a hung node only doubles the
    # wait. With several nodes a refused connection moves on to the next one, so a
    # node that is down costs a request one quick retry, not an error.
    nodes = node_urls(url)
    return Elasticsearch(
        nodes, request_timeout=timeout, retry_on_timeout=False, max_retries=len(nodes) - 1
    )


def get_client() -> Elasticsearch:
    """A shared client for the configured URL (rebuilt if settings change in tests)."""
    return _client_for(settings.ELASTICSEARCH_URL, settings.SEARCH_TIMEOUT)


def server_version() -> str:
    """The version of the node we talk to.

    Asked of the nodes API rather than `GET /`, which the minimal distributions
    (such as the integration-test build the test suite runs) do not serve.
    """
    nodes = get_client().nodes.info(node_id="_local", metric="_none")["nodes"]
    return next(iter(nodes.values()))["version"]

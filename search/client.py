"""The one place that connects to Elasticsearch."""

from functools import cache

from django.conf import settings
from elasticsearch import Elasticsearch

REQUEST_TIMEOUT = 5


def is_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def node_urls(setting: str) -> list[str]:
    """ELASTICSEARCH_URL names one node or several, separated by commas."""
    return [url.strip() for url in setting.split(",") if url.strip()]


@cache
def _client_for(url: str) -> Elasticsearch:
    # With several nodes a refused connection is retried on the next one, so a node
    # that is down costs a request one quick retry, not an error.
    return Elasticsearch(node_urls(url), request_timeout=REQUEST_TIMEOUT, retry_on_timeout=False)


def get_client() -> Elasticsearch:
    """A shared client for the configured URL (rebuilt if settings change in tests)."""
    return _client_for(settings.ELASTICSEARCH_URL)


def server_version() -> str:
    """The version of the node we talk to.

    Asked of the nodes API rather than `GET /`, which the minimal distributions
    (such as the integration-test build the test suite runs) do not serve.
    """
    nodes = get_client().nodes.info(node_id="_local", metric="_none")["nodes"]
    return next(iter(nodes.values()))["version"]

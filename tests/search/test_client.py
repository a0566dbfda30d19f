"""ELASTICSEARCH_URL may list several nodes; a node that is down costs a retry, not an error."""

from search.client import get_client, node_urls, server_version
from search.documents import index_settings
from tests.conftest import free_port


def test_several_node_urls_are_read_from_one_setting():
    assert node_urls(" http://a:9200, http://b:9200 ,") == ["http://a:9200", "http://b:9200"]


def test_a_node_that_is_down_is_skipped(settings):
    dead = f"http://127.0.0.1:{free_port()}"
    settings.ELASTICSEARCH_URL = f"{dead},{settings.ELASTICSEARCH_URL}"

    for _ in range(3):  # whichever node the client tries first
        assert server_version().startswith("8.")
    assert len(get_client().transport.node_pool.all()) == 2


def test_replicas_per_shard_follow_the_setting(settings):
    settings.SEARCH_INDEX_REPLICAS = 1

    assert index_settings()["number_of_replicas"] == 1

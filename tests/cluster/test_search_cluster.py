"""Search on a two-node Elasticsearch cluster, one replica per shard, while a node dies."""

import json
import secrets
import time
import urllib.request

import pytest

from search.indexing import alias_name
from tests.factories import CategoryFactory, UserFactory, make_idea

pytestmark = pytest.mark.cluster

_http = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def es(url: str, path: str) -> dict:
    with _http.open(url + path, timeout=30) as response:
        return json.load(response)


def node_outside_the_voting_configuration(cluster) -> str:
    """Of two master-eligible nodes only one votes; losing the other keeps a master."""
    any_node = next(iter(cluster.es_nodes.values()))
    path = "/_cluster/state/metadata?filter_path=metadata.cluster_coordination"
    voting = es(any_node, path)["metadata"]["cluster_coordination"]["last_committed_config"]
    names = {nid: node["name"] for nid, node in es(any_node, "/_nodes")["nodes"].items()}
    voters = {names[nid] for nid in voting}
    spare = set(cluster.es_nodes) - voters
    assert len(spare) == 1, f"the voting configuration is {voters}"
    return spare.pop()


def search_page(cluster, code: str) -> str:
    page = cluster.client().get(f"/search/?q={code}")
    assert page.status == 200
    assert "reduced mode" not in page.text  # answered by Elasticsearch, not the fallback
    return page.text


def found(cluster, code: str, idea_url: str) -> bool:
    return f'href="{idea_url}"' in search_page(cluster, code)


def wait_until_found(cluster, code: str, idea_url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not found(cluster, code, idea_url):
        assert time.monotonic() < deadline, f"{idea_url} is not found by {code!r}"
        time.sleep(0.3)


def test_searches_answer_and_writes_land_while_a_node_is_down(cluster):
    before = f"{secrets.randbelow(10**8):08d}"
    old = make_idea(title=f"Offline maps for the field team, code {before}")
    wait_until_found(cluster, before, old.get_absolute_url())
    down = node_outside_the_voting_configuration(cluster)
    survivor = next(url for name, url in cluster.es_nodes.items() if name != down)

    cluster.kill(down)

    assert found(cluster, before, old.get_absolute_url())  # from the surviving copy
    member = cluster.client()
    assert member.login(UserFactory().email, "pass-word-123").status == 302
    during = f"{secrets.randbelow(10**8):08d}"
    title = f"Dark mode for the admin console, code {during}"
    data = {"title": title, "body": "Easier at night.", "category": CategoryFactory().pk}
    created = member.post("/ideas/new/", data | {"tags": ""})
    assert created.status == 302
    wait_until_found(cluster, during, created.location)  # at once, from the surviving node
    health = es(survivor, "/_cluster/health")
    assert (health["status"], health["number_of_nodes"]) == ("yellow", 1)

    cluster.start(down)
    es(survivor, "/_cluster/health?wait_for_status=green&timeout=60s")

    # The restarted node's own copy has caught up with what was written meanwhile.
    local = es(cluster.es_nodes[down], f"/{alias_name()}/_search?q={during}&preference=_only_local")
    assert [hit["_source"]["title"] for hit in local["hits"]["hits"]] == [title]

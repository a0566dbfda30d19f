import pytest

from search import indexing
from search.client import get_client


@pytest.fixture
def search_index(db):
    """A fresh live index for the test; call it again (rebuild) after adding ideas."""
    yield indexing.rebuild
    get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)

import pytest
from django.test import Client

from community.api import services as tokens


def bearer(user, scope: str = "write") -> dict:
    """Headers that authenticate as `user` with a new token of `scope`."""
    secret = tokens.token_create(user=user, name=f"test {scope}", scope=scope).secret
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api():
    """A client that speaks JSON to /api/v1/."""

    class ApiClient(Client):
        def call(self, method: str, path: str, data=None, headers=None, **extra):
            kwargs = {"headers": headers or {}, **extra}
            if data is not None:
                kwargs.update(data=data, content_type="application/json")
            return getattr(self, method)(f"/api/v1{path}", **kwargs)

    return ApiClient()


@pytest.fixture
def search_index(db):
    """A fresh live index; call it (rebuild) after adding ideas."""
    from search import indexing
    from search.client import get_client

    yield indexing.rebuild
    get_client().indices.delete(index=f"{indexing.alias_name()}_*", ignore_unavailable=True)

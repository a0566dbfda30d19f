"""The OpenAPI schema is valid OpenAPI 3, and the docs page runs on our own assets."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate(schema)
    paths = schema["paths"]
    for path in ("/api/v1/ideas", "/api/v1/ideas/{idea_id}", "/api/v1/ideas/{idea_id}/vote",
                 "/api/v1/ideas/{idea_id}/merge", "/api/v1/me/notifications"):  # fmt: skip
        assert path in paths
    assert {"TokenAuth", "Session"} <= set(schema["components"]["securitySchemes"])


def test_the_docs_page_loads_its_scripts_and_styles_from_this_server(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources, html
    for source in sources:
        assert source.startswith("/static/"), source
        assert client.get(source).status_code == 200, source
    # No inline script runs: the only script element without src is JSON data.
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline)

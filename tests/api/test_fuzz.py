"""Property-based fuzzing of every operation from the OpenAPI schema (schemathesis).

Bounded, so it runs in the suite: for each operation a few examples, sent with
a staff token (so every code path past authentication is reached) against data
that exists. Nothing may answer 5xx, and every response must match its schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from community import roles
from tests.api.conftest import bearer
from tests.factories import make_idea, staff_user


def _load_schema():
    """The schema, fetched from the app itself, which is then called in-process (WSGI)."""
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    # The coverage phase sends hundreds of boundary cases per operation; the
    # bounded fuzzing phase keeps the suite quick.
    loaded.config.phases.coverage.enabled = False
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does, keep the handler from closing the test's
    database connection (and its transaction) at the end of each request."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_headers(db):
    admin = staff_user(roles.ADMINISTRATOR)
    make_idea(author=admin, title="An idea for the fuzzer to find")
    return bearer(admin, "staff")


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, staff_headers):
    case.call_and_validate(
        headers=staff_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )

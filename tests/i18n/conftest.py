import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in German leaves German active in this thread: start and end in English."""
    translation.activate("en")
    yield
    translation.activate("en")

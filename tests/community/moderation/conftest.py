"""Fixtures every moderation test shares."""

import pytest

from community import roles
from tests.factories import staff_user


@pytest.fixture
def moderator():
    return staff_user(roles.COMMUNITY_MANAGER, display_name="Maria Gomez")


@pytest.fixture
def admin():
    return staff_user(roles.ADMINISTRATOR, display_name="Chris Admin")

"""The caller's own notifications over the API: in their language, and never quoting
an idea they may no longer see (the same words as the site's list)."""

import pytest

from community import roles
from ideas import services
from tests.api.conftest import bearer
from tests.community.notifications.test_languages import status_news
from tests.factories import UserFactory, staff_user


@pytest.mark.django_db
def test_the_api_gives_notifications_in_the_callers_language(api, run_tasks):
    _idea, author, _note = status_news(run_tasks)
    headers = bearer(author, "read") | {"Accept-Language": "de"}

    items = api.call("get", "/me/notifications", headers=headers).json()["items"]

    assert [item["text"] for item in items] == [
        "„Dark mode for the dashboard“ ist jetzt geplant: Building it this quarter."
        " Wie gut haben wir dir zugehört? Bewerte es auf der Seite der Idee."  # the author's ask
    ]


@pytest.mark.django_db
def test_the_api_no_longer_quotes_an_idea_the_reader_may_not_see(api, run_tasks):
    """A bug fix: the API returned the stored text, title and all, of a hidden idea."""
    idea, author, _note = status_news(run_tasks)
    follower = UserFactory()
    services.follow_set(user=follower, idea_id=idea.pk, following=True)
    services.comment_create(author=staff_user(roles.PRODUCT_MANAGER), idea_id=idea.pk,
                            body="We are on it.", official=True)  # fmt: skip
    run_tasks()
    services.idea_withdraw(author=author, idea_id=idea.pk)

    items = api.call("get", "/me/notifications", headers=bearer(follower, "read")).json()["items"]

    assert items and all("Dark mode" not in item["text"] for item in items)
    assert items[0]["text"] == "An idea you were told about is no longer available."

"""Staff CSV exports: the inbox's filters, the columns product teams need, streamed."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse

from community import roles
from ideas import services
from ideas.models import Idea
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_idea_export_has_every_column_and_follows_the_filters(client):
    manager = staff_user(roles.ADMINISTRATOR)
    area, other = CategoryFactory(name="Laptops"), CategoryFactory(name="Phones")
    idea = make_idea(category=area, title="=HYPERLINK(a formula in a title)")
    services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=-1)
    services.idea_status_change(actor=manager, idea_id=idea.pk, to_status="planned",
                                message="We will build it.")  # fmt: skip
    make_idea(category=other, title="An idea in another product area")
    hidden = make_idea(category=area, title="A hidden idea never exported")
    Idea.objects.filter(pk=hidden.pk).update(visibility="hidden")
    client.force_login(manager)

    response = client.get(f"/staff/export/ideas.csv?category={area.pk}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [
        "id", "title", "status", "product area", "owner", "promotes", "demotes",
        "distinct supporters", "comments", "created", "first staff answer", "decided", "shipped",
        "story link",
    ]  # fmt: skip
    assert row["title"] == "'=HYPERLINK(a formula in a title)"  # never run as a formula
    assert (row["status"], row["product area"]) == ("Planned", "Laptops")
    assert (row["promotes"], row["demotes"], row["distinct supporters"]) == ("1", "1", "1")
    assert row["first staff answer"] and row["decided"] and not row["shipped"]


def test_figures_export(client):
    client.force_login(staff_user())
    make_idea(title="An idea counted in the figures")
    rows = read_csv(client.get("/staff/export/figures.csv"))
    assert rows[0]["group"] == "total" and rows[0]["posted"] == "1"


def test_exports_are_for_staff_only(client):
    client.force_login(UserFactory())
    assert client.get("/staff/export/ideas.csv").status_code == 403
    assert client.get("/staff/export/figures.csv").status_code == 403


def test_the_export_streams_from_an_iterator_in_a_few_queries(
    client, django_assert_max_num_queries
):
    client.force_login(staff_user())
    for n in range(30):
        make_idea(title=f"An idea for the streamed export {n}")
    response = client.get("/staff/export/ideas.csv")
    with django_assert_max_num_queries(6):
        rows = read_csv(response)
    assert len(rows) == 30


def test_the_inbox_and_figures_link_to_the_exports(client):
    client.force_login(staff_user())
    assert b"/staff/export/ideas.csv" in client.get("/staff/").content
    figures = client.get("/staff/figures/").content
    assert b"/staff/export/figures.csv" in figures

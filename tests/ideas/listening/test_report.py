"""The listening figures against hand-computed fixtures, the score formula, and the pages."""

import csv
import io
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from community import roles
from ideas import services
from ideas.listening import selectors
from ideas.listening.models import ListeningRating
from ideas.listening.selectors import ListeningScore, compute_report, listening_score
from tests.factories import CategoryFactory, UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
REPLIES = itertools.cycle(
    [
        "The fan curve you describe is already in our next firmware build.",
        "We tried a brighter panel in March; the battery cost was too high for now.",
        "Good catch on the hinge: our engineers reproduced the creak on two units.",
        "A second monitor over USB-C needs a new dock, which we are testing.",
    ]
)


def rate(idea, score, *, stage="answered", at):
    return ListeningRating.objects.create(
        idea=idea, rater=UserFactory(), stage=stage, score=score, created_at=at, rated_at=at
    )


@pytest.mark.parametrize(
    "scores, net",
    [
        ([10, 9, 9, 8, 7, 6, 0, 10, 9, 3], 20),  # 5 promoters, 2 passives, 3 detractors
        ([10] * 10, 100),
        ([0] * 12, -100),
        ([7, 8] * 5, 0),
    ],
)
def test_the_score_is_promoters_minus_detractors_in_percent(scores, net):
    score = listening_score(scores)
    assert score.net == net and score.count == len(scores)


def test_the_score_needs_ten_ratings(settings):
    settings.LISTENING_SCORE_MIN_RATINGS = 10
    nine = listening_score([10] * 9)
    assert nine.net is None and not nine.shown and nine.count == 9
    assert listening_score([10] * 10).net == 100
    assert ListeningScore().net is None


@pytest.fixture
def fixture_ideas(settings):
    """October: 4 ideas in Laptops (3 answered: 2 in target, 1 late; 1 unanswered and due),
    2 decided, 1 shipped in November with a story-less change. November: 2 ideas in Phones,
    one answered in 2 h, one posted 1 day ago (not yet due)."""
    settings.IDEA_RESPONSE_TARGET_HOURS = 72
    settings.LISTENING_SCORE_MIN_RATINGS = 10
    pm = staff_user(roles.PRODUCT_MANAGER)
    laptops, phones = CategoryFactory(name="Laptops"), CategoryFactory(name="Phones")

    def answered(idea, hours):
        services.comment_create(
            author=pm, idea_id=idea.pk, body=next(REPLIES) + f" #{idea.pk}", official=True,
            now=idea.created_at + timedelta(hours=hours),
        )  # fmt: skip

    october = [make_idea(category=laptops, now=OCTOBER + timedelta(minutes=i)) for i in range(4)]
    answered(october[0], 10)
    answered(october[1], 20)
    answered(october[2], 100)  # late
    for idea, to in ((october[0], "planned"), (october[1], "not_planned")):
        services.idea_status_change(
            actor=pm, idea_id=idea.pk, to_status=to, message="Decided.",
            now=OCTOBER + timedelta(days=2),
        )  # fmt: skip
    for to in ("in_progress", "shipped"):
        services.idea_status_change(
            actor=pm, idea_id=october[0].pk, to_status=to, message="Moving.",
            now=NOVEMBER + timedelta(days=1),
        )  # fmt: skip
    answered_nov = make_idea(category=phones, now=NOVEMBER)
    answered(answered_nov, 2)
    make_idea(category=phones, now=NOW - timedelta(days=1))
    # Ratings: 10 in November (6 promoters, 1 passive, 3 detractors), 2 in October.
    for score in (10, 10, 9, 9, 9, 9, 8, 6, 5, 0):
        rate(october[0], score, at=NOVEMBER + timedelta(days=3))
    rate(october[1], 2, at=OCTOBER + timedelta(days=3))
    rate(october[1], 9, at=OCTOBER + timedelta(days=3))
    return {"october": october, "november": answered_nov, "pm": pm}


def test_report_figures_match_the_hand_computed_ones(fixture_ideas):
    report = compute_report(now=NOW)
    months = {row.key: row for row in report.months}
    october, november, total = months["2026-10"], months["2026-11"], report.total

    assert len(report.months) == 12 and report.months[-1].key == "2026-11"
    assert report.since == datetime(2025, 12, 1, tzinfo=UTC)
    # October: 4 posted, 3 answered, due 4 (3 answered + 1 overdue), 2 in target.
    assert (october.posted, october.answered, october.answer_due) == (4, 3, 4)
    assert october.answered_in_target == 2 and october.share_in_target == 0.5
    assert october.answered_share == 0.75
    assert october.median_hours == 20
    assert (october.decided, october.decided_share) == (2, 0.5)
    assert october.shipped == 0 and november.shipped == 1
    # November: 2 posted, 1 answered in 2 h, the other not due yet.
    assert (november.posted, november.answered, november.answer_due) == (2, 1, 1)
    assert november.share_in_target == 1 and november.median_hours == 2
    # The score: November has 10 ratings, 60% − 30% = +30; October 2 is too few.
    assert (november.score.count, november.score.net) == (10, 30)
    assert (october.score.count, october.score.net) == (2, None)
    # Total: 6 posted, 4 answered, 5 due, 3 in target, median of 2, 10, 20, 100 h = 15.
    assert (total.posted, total.answered, total.answer_due, total.answered_in_target) == (
        6, 4, 5, 3,
    )  # fmt: skip
    assert total.median_hours == 15 and total.decided == 2 and total.shipped == 1
    # 12 ratings: 7 promoters, 1 passive, 4 detractors: 58.3% − 33.3% = +25.
    assert (total.score.count, total.score.net) == (12, 25)
    assert [change.title for change in report.changes] == [fixture_ideas["october"][0].title]
    areas = {row.label: row for row in report.by_area}
    assert areas["Laptops"].posted == 4 and areas["Phones"].posted == 2
    owners = {row.label: row for row in report.by_owner}
    assert owners["Unassigned"].posted == 6


def test_hidden_ideas_are_left_out(fixture_ideas):
    from ideas.models import Idea

    Idea.objects.filter(pk=fixture_ideas["november"].pk).update(visibility="hidden")
    assert compute_report(now=NOW).total.posted == 5


def test_the_report_page_renders_charts_and_tables(client, fixture_ideas):
    response = client.get(reverse("listening:report"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<svg") >= 5
    assert body.count("<table") >= 5
    assert "Changes made from listening" in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_report_is_computed_once_and_then_read_from_the_cache(
    client, fixture_ideas, django_assert_max_num_queries
):
    client.get(reverse("listening:report"))
    with django_assert_max_num_queries(3):  # session and site lookups at most
        assert client.get(reverse("listening:report")).status_code == 200


def test_home_page_and_footer_link_to_the_report(client, home):
    body = client.get("/").content.decode()
    assert body.count(reverse("listening:report")) >= 2


def test_staff_figures_show_the_listening_charts_and_export_csv(client, fixture_ideas):
    client.force_login(fixture_ideas["pm"])
    figures = client.get(reverse("staff:figures")).content.decode()
    assert "By owner" in figures and "<svg" in figures

    response = client.get(reverse("staff:listening_csv"))

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    total = next(row for row in rows if row["group"] == "total")
    assert total["posted"] == "6" and total["ratings"] == "12"
    assert {row["group"] for row in rows} == {"total", "month", "product_area", "owner"}


def test_customers_cannot_export_the_staff_figures(client):
    client.force_login(UserFactory())
    assert client.get(reverse("staff:listening_csv")).status_code == 403


def test_refresh_stores_the_report(fixture_ideas):
    report = selectors.listening_report_refresh(now=NOW)
    assert selectors.listening_report().computed_at == report.computed_at


def test_the_scheduler_keeps_the_figures_fresh_so_no_reader_computes_them(
    fixture_ideas, run_tasks, settings
):
    from django.core.cache import cache

    from community.management.commands.run_scheduler import Command as Scheduler

    cache.delete(selectors.CACHE_KEY)
    assert Scheduler().run_pass({}).get("listening_report") == "queued"
    run_tasks()  # the worker computes them
    fresh = cache.get(selectors.CACHE_KEY)
    assert fresh is not None and fresh.total.posted == 6
    assert "listening_report" not in Scheduler().run_pass({})  # not due again yet

    later = fresh.computed_at + timedelta(seconds=settings.LISTENING_REPORT_CACHE_SECONDS)
    assert selectors.listening_report_due(now=later)  # due once they are that old


def test_computing_the_figures_reads_the_community_settings_once_not_per_idea(
    fixture_ideas, monkeypatch
):
    """A fix: every idea asked the shared cache for the response target, eight times;
    at 100,000 ideas the report took 20 s of Redis round trips."""
    from django.core.cache import cache

    from community import configuration

    for n in range(30):
        make_idea(title=f"One more idea to count {n}")
    reads = []
    real_get = cache.get
    monkeypatch.setattr(
        cache, "get", lambda key, *a, **kw: reads.append(key) or real_get(key, *a, **kw)
    )
    configuration.forget()

    compute_report(now=NOW + timedelta(days=1))

    assert reads.count(configuration.CACHE_KEY) <= 1

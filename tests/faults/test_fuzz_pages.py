"""Property-based fuzzing of the public and staff pages' query parameters and forms.

Each target draws parameters from valid values mixed with hostile ones
(control characters, invisible and bidi characters, any unicode, huge and
negative integers, digits that are not ASCII, empty strings) and asserts the
site never answers 5xx: bad input gets a 4xx with a message, or is ignored.
The draws are derandomized, so a run is repeatable; an input that once
caused a 500 is kept as an `@example` (a regression test).
"""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from community import roles
from ideas.models import Status
from ideas.querysets import PERIODS, SORTS
from tests.factories import CategoryFactory, UserFactory, make_idea

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LIMITS = {kind: (10_000, 10_000) for kind in django_settings.RATE_LIMITS}

hostile = st.one_of(
    st.just(""),
    st.text(max_size=200),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Mn"]), max_size=30),
    st.integers().map(str),
    st.integers(min_value=2**31 - 2, max_value=10**40).map(str),
    st.integers(max_value=-1).map(str),
    st.sampled_from(["0", "-0", "²", "١٢", "1e9", "0x10", " 7 ", "1.5", "9" * 5000, "\x00"]),
)


def value(*valid):
    return st.one_of(st.sampled_from(valid), hostile) if valid else hostile


def params(**fields):
    """Any subset of the fields, each drawn from its strategy."""
    return st.fixed_dictionaries({}, optional=fields)


statuses = [s for s, _ in Status.choices]


@pytest.fixture
def site(home):
    category = CategoryFactory(slug="laptops")
    ideas = [make_idea(title=f"A fuzzed keyboard idea {n}", category=category) for n in (1, 2)]
    member = UserFactory(date_joined=timezone.now() - timedelta(days=60))
    staff = UserFactory(role=roles.ADMINISTRATOR, is_staff=True)
    as_member, as_staff = Client(), Client()
    as_member.force_login(member)
    as_staff.force_login(staff)
    return {"ideas": ideas, "member": as_member, "staff": as_staff, "anonymous": Client()}


def no_5xx(response, what):
    assert response.status_code < 500, (what, response.status_code)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_fuzz_limits")]


@pytest.fixture
def _fuzz_limits():
    with override_settings(RATE_LIMITS=LIMITS):
        yield


@FUZZ
@given(
    query=params(
        sort=value(*SORTS),
        period=value(*PERIODS),
        category=value("laptops"),
        status=value(*statuses),
        tag=value("keyboard"),
        page=value("1", "2"),
    )  # fmt: skip
)
def test_idea_list(site, query):
    no_5xx(site["anonymous"].get("/ideas/", query), query)


@FUZZ
@given(
    query=params(
        q=value("keyboard", "keyb*", '"keyboard light"'),
        sort=value("relevance", "score", "newest"),
        status=value(*statuses),
        category=value("laptops"),
        tag=value("keyboard"),
        session=value("1"),
        created_from=value("2024-01-01"),
        created_to=value("2030-12-31"),
        page=value("1", "500"),
        hidden=value("on"),
    ),  # fmt: skip
    who=st.sampled_from(["anonymous", "staff"]),
)
def test_search(site, query, who):
    no_5xx(site[who].get("/search/", query), query)


@FUZZ
@given(
    form=params(
        title=value("A laptop lid that opens with one hand"),
        body=value("So I can open it while holding a coffee."),
        category=value("laptops", "1"),
        tags=value("keyboard, lid"),
        session=value("1"),
    )  # fmt: skip
)
@example(form={"session": "9" * 30})
def test_idea_create(site, form):
    no_5xx(site["member"].post("/ideas/new/", form), form)
    no_5xx(site["member"].get("/ideas/new/", {"session": form.get("session", "")}), form)


@FUZZ
@given(form=params(body=value("I would use this every day."), parent=value("1"), next=value("/")))
def test_comment_create(site, form):
    idea = site["ideas"][0]
    no_5xx(site["member"].post(f"/ideas/{idea.pk}/comments/", form), form)


@FUZZ
@given(form=params(value=value("1", "-1", "0")))
def test_vote(site, form):
    idea = site["ideas"][1]
    no_5xx(site["member"].post(f"/ideas/{idea.pk}/vote/", form), form)


@FUZZ
@given(
    query=params(
        category=value("1"),
        status=value(*statuses),
        owner=value("me", "none"),
        session=value("1"),
        page=value("1", "2"),
    )  # fmt: skip
)
@example(query={"page": "abc"})
@example(query={"session": "9" * 30})
def test_staff_inbox(site, query):
    no_5xx(site["staff"].get("/staff/", query), query)


@FUZZ
@given(
    ideas=st.lists(value("1", "2"), max_size=4),
    form=params(
        status=value("under_review", "planned"),
        message=value("We are looking at it."),
        owner=value("me", "none"),
        category=value("1"),
        back=value("/staff/", "//evil.test/"),
    ),  # fmt: skip
)
@example(ideas=["²"], form={})
@example(ideas=["9" * 5000], form={})
@example(ideas=["9" * 30], form={"status": "planned", "message": "Soon."})
def test_staff_bulk(site, ideas, form):
    ids = {"1": str(site["ideas"][0].pk), "2": str(site["ideas"][1].pk)}
    form = form | {"ideas": [ids.get(v, v) for v in ideas]}
    no_5xx(site["staff"].post("/staff/bulk/", form), form)


@FUZZ
@given(form=params(into=value("1", "#1", "/ideas/1-x/"), message=value("Same as the other.")))
@example(form={"into": "9" * 30})
def test_staff_merge(site, form):
    survivor, duplicate = site["ideas"]
    form = {k: v.replace("1", str(survivor.pk), 1) if k == "into" else v for k, v in form.items()}
    no_5xx(site["staff"].post(f"/staff/ideas/{duplicate.pk}/merge/", form), form)


@FUZZ
@given(
    moderation=params(page=value("1", "2")),
    audit=params(action=value("idea_hidden"), actor=value("1"), page=value("1", "2")),
)
@example(moderation={"page": "9" * 5000}, audit={"page": "9" * 5000, "actor": "9" * 5000})
def test_staff_moderation_and_audit(site, moderation, audit):
    no_5xx(site["staff"].get("/staff/moderation/", moderation), moderation)
    no_5xx(site["staff"].get("/staff/audit/", audit), audit)

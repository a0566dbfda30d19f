"""Abuse limits: hourly rate limits (stricter for new accounts) and the spam check."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from community import roles
from community.core.exceptions import LooksLikeSpam, RateLimited
from community.moderation import services as moderation
from community.moderation.models import Flag
from ideas import services
from ideas.models import Comment, Idea
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def small_limits(settings):
    """Small numbers keep the tests quick; the rules are the same."""
    settings.RATE_LIMITS = {"idea": (4, 2), "comment": (5, 3), "vote": (5, 3), "flag": (4, 2)}
    settings.NEW_ACCOUNT_DAYS = 7
    settings.SPAM_MAX_LINKS = (4, 1)
    settings.SPAM_REPEAT_HOURS = 24
    settings.SPAM_REPEAT_MIN_CHARS = 30


def new_member(**kwargs):
    return UserFactory(date_joined=T0 - timedelta(days=1), **kwargs)


def established_member(**kwargs):
    return UserFactory(date_joined=T0 - timedelta(days=30), **kwargs)


def post_idea(author, n: int, *, at, body: str | None = None):
    return make_idea(
        author=author, title=f"An idea worth building, take {n}", body=body or f"Reason {n}", now=at
    )


def test_the_default_limits_are_stricter_for_new_accounts():
    for kind, (established, new) in django_settings.RATE_LIMITS.items():
        assert 0 < new < established, kind
    assert django_settings.SPAM_MAX_LINKS[1] < django_settings.SPAM_MAX_LINKS[0]


def test_new_accounts_may_post_fewer_ideas_an_hour_and_are_told_when_to_try_again():
    newcomer, regular = new_member(), established_member()
    post_idea(newcomer, 1, at=T0)
    post_idea(newcomer, 2, at=T0 + timedelta(minutes=1))

    with pytest.raises(RateLimited) as refused:
        post_idea(newcomer, 3, at=T0 + timedelta(minutes=2))
    assert refused.value.message == (
        "New accounts (younger than 7 days) can post at most 2 ideas an hour, and you have "
        "reached that. Please try again in 58 minutes."
    )
    assert refused.value.status_code == 429
    assert Idea.objects.filter(author=newcomer).count() == 2

    for n in range(4):
        post_idea(regular, n, at=T0 + timedelta(minutes=n))
    with pytest.raises(RateLimited, match="^You can post at most 4 ideas an hour"):
        post_idea(regular, 5, at=T0 + timedelta(minutes=5))

    # The window rolls: an hour after the first idea, one more fits.
    post_idea(newcomer, 3, at=T0 + timedelta(hours=1))
    with pytest.raises(RateLimited, match="try again in 1 minute[.]"):
        post_idea(newcomer, 4, at=T0 + timedelta(hours=1))


def test_a_double_submission_at_the_limit_returns_the_first_idea():
    newcomer = new_member()
    post_idea(newcomer, 1, at=T0)
    second = post_idea(newcomer, 2, at=T0 + timedelta(minutes=1))

    again = post_idea(newcomer, 2, at=T0 + timedelta(minutes=2))

    assert again == second
    assert Idea.objects.filter(author=newcomer).count() == 2


def test_comment_limits_and_a_retried_comment_returns_the_first():
    idea = make_idea()
    newcomer = new_member()
    comments = [
        services.comment_create(
            author=newcomer, idea_id=idea.pk, body=f"Point {n}", now=T0 + timedelta(minutes=n)
        )
        for n in range(3)
    ]

    with pytest.raises(RateLimited, match="can post at most 3 comments an hour"):
        services.comment_create(
            author=newcomer, idea_id=idea.pk, body="Point 4", now=T0 + timedelta(minutes=3)
        )
    retried = services.comment_create(
        author=newcomer, idea_id=idea.pk, body="Point 2", now=T0 + timedelta(minutes=3)
    )
    assert retried == comments[-1]
    assert Comment.objects.filter(author=newcomer).count() == 3

    regular = established_member()
    for n in range(5):
        services.comment_create(author=regular, idea_id=idea.pk, body=f"Note {n}", now=T0)
    with pytest.raises(RateLimited, match="^You can post at most 5 comments"):
        services.comment_create(author=regular, idea_id=idea.pk, body="Note 6", now=T0)


def test_vote_limits_leave_withdrawing_free_and_ignore_the_promote_of_ones_own_idea():
    ideas = [make_idea() for _ in range(4)]
    newcomer = new_member()
    post_idea(newcomer, 1, at=T0)  # starts with its author's promote: not counted
    for idea in ideas[:3]:
        services.vote_cast(voter=newcomer, idea_id=idea.pk, value=1, now=T0)

    with pytest.raises(RateLimited, match="can cast at most 3 votes an hour"):
        services.vote_cast(voter=newcomer, idea_id=ideas[3].pk, value=1, now=T0)
    with pytest.raises(RateLimited):
        services.vote_cast(voter=newcomer, idea_id=ideas[0].pk, value=-1, now=T0)
    services.vote_cast(voter=newcomer, idea_id=ideas[0].pk, value=0, now=T0)

    ideas[3].refresh_from_db()
    assert ideas[3].promotes == 1  # only its author's
    services.vote_cast(
        voter=newcomer, idea_id=ideas[3].pk, value=1, now=T0 + timedelta(hours=1, seconds=1)
    )


def test_flag_limits():
    newcomer = new_member()
    ideas = [make_idea() for _ in range(3)]
    for idea in ideas[:2]:
        moderation.flag_create(reporter=newcomer, idea_id=idea.pk, reason="spam", now=T0)

    with pytest.raises(RateLimited, match="can send at most 2 flags an hour"):
        moderation.flag_create(reporter=newcomer, idea_id=ideas[2].pk, reason="spam", now=T0)
    assert Flag.objects.count() == 2


def test_staff_are_exempt():
    responder = staff_user(roles.STAFF_RESPONDER, date_joined=T0)
    for n in range(6):
        post_idea(responder, n, at=T0, body=f"See https://example.com/{n} and www.example.org")
    assert Idea.objects.filter(author=responder).count() == 6


def test_too_many_links_for_the_account_age():
    two_links = "Compare https://example.com/a with www.example.org/b please."
    with pytest.raises(LooksLikeSpam) as refused:
        post_idea(new_member(), 1, at=T0, body=two_links)
    assert refused.value.message == (
        "New accounts (younger than 7 days) can include at most 1 link; this one has 2. "
        "Please remove some links."
    )
    post_idea(established_member(), 1, at=T0, body=two_links)

    five_links = " ".join(f"http://spam.example/{n}" for n in range(5))
    with pytest.raises(LooksLikeSpam, match="^A post can include at most 4 links; this one has 5"):
        services.comment_create(
            author=established_member(), idea_id=make_idea().pk, body=five_links, now=T0
        )
    assert not Comment.objects.exists()


def test_the_same_text_on_another_idea_is_refused_for_a_day():
    first, second = make_idea(), make_idea()
    member = established_member()
    pitch = "Visit my shop for the best laptop deals anywhere."
    services.comment_create(author=member, idea_id=first.pk, body=pitch, now=T0)

    with pytest.raises(LooksLikeSpam, match="already posted this same text on another idea"):
        services.comment_create(author=member, idea_id=second.pk, body=pitch.upper(), now=T0)
    with pytest.raises(LooksLikeSpam):
        post_idea(member, 1, at=T0, body=pitch)
    # Short replies are honestly repeated; a day later the text is fine again.
    for idea in (first, second):
        services.comment_create(author=member, idea_id=idea.pk, body="Me too!", now=T0)
    services.comment_create(
        author=member, idea_id=second.pk, body=pitch, now=T0 + timedelta(hours=25)
    )
    # Another member may say the same.
    services.comment_create(author=established_member(), idea_id=second.pk, body=pitch, now=T0)


def test_an_idea_repeating_ones_earlier_idea_under_another_title_is_refused():
    member = established_member()
    body = "Every laptop should ship with a replaceable battery, always."
    post_idea(member, 1, at=T0, body=body)

    with pytest.raises(LooksLikeSpam):
        post_idea(member, 2, at=T0 + timedelta(minutes=5), body=body)


def test_over_the_limit_over_http_is_a_clear_429_and_nothing_is_posted(settings):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"comment": (5, 1)}
    idea = make_idea()
    member = UserFactory()  # joined just now: a new account
    browser = Client()
    browser.force_login(member)

    assert browser.post(f"/ideas/{idea.pk}/comments/", {"body": "First"}).status_code == 302
    response = browser.post(f"/ideas/{idea.pk}/comments/", {"body": "Second"})

    assert response.status_code == 429
    assert "can post at most 1 comment an hour" in response.content.decode()
    assert list(idea.comments.values_list("body", flat=True)) == ["First"]


# --- Concurrency and flapping (PostgreSQL, real connections) ----------------------------


def run_at_once(calls) -> tuple[int, list[Exception]]:
    """Run the calls in threads released together, each on its own database connection.

    Each call takes its time as a request does (`timezone.now()` when it starts),
    and the later-stamped may reach the lock first: that is what overshot."""
    import threading

    from django.db import connection

    accepted, errors = [], []
    start = threading.Barrier(len(calls))

    def run(call):
        try:
            start.wait()
            call()
            accepted.append(1)
        except RateLimited:
            pass
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(accepted), errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_comments_never_overshoot_the_limit():
    newcomer = UserFactory(date_joined=timezone.now() - timedelta(days=1))  # limit 3
    ideas = [make_idea() for _ in range(4)]

    def comment(n):
        return lambda: services.comment_create(
            author=newcomer, idea_id=ideas[n % 4].pk, body=f"Point number {n}"
        )

    accepted, errors = run_at_once([comment(n) for n in range(16)])

    assert errors == []
    assert accepted == 3
    assert Comment.objects.filter(author=newcomer).count() == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_never_overshoot_the_limit():
    voter = UserFactory(date_joined=timezone.now() - timedelta(days=30))  # limit 5
    ideas = [make_idea() for _ in range(16)]

    def vote(idea):
        return lambda: services.vote_cast(voter=voter, idea_id=idea.pk, value=1)

    accepted, errors = run_at_once([vote(idea) for idea in ideas])

    assert errors == []
    assert accepted == 5
    assert services.idea_counters_repair(fix=False) == []


def test_the_limit_holds_when_a_later_stamped_request_took_the_lock_first():
    """A request stamped at T0 that waited for the lock while one stamped at T0+1s
    wrote: the later row counts against the earlier request too."""
    newcomer = new_member()
    idea = make_idea()
    for n in range(3):
        services.comment_create(
            author=newcomer, idea_id=idea.pk, body=f"Point {n}", now=T0 + timedelta(seconds=1)
        )
    with pytest.raises(RateLimited):
        services.comment_create(author=newcomer, idea_id=idea.pk, body="Late one", now=T0)


def test_flipping_a_vote_back_and_forth_meets_the_limit():
    idea = make_idea()
    flipper = established_member()  # 5 vote changes an hour
    refused = 0
    for _ in range(150):
        try:
            services.vote_cast(voter=flipper, idea_id=idea.pk, value=1, now=T0)
        except RateLimited:
            refused += 1
        services.vote_cast(voter=flipper, idea_id=idea.pk, value=0, now=T0)  # always allowed
    assert refused == 147  # promotes 1..3 fit (with their withdrawals, 6 changes)
    idea.refresh_from_db()
    assert idea.promotes == 1  # only its author's


def test_edits_pass_the_same_spam_check_as_posts():
    member = established_member()  # at most 4 links
    # Now, not T0: the HTTP edit below must fall inside the edit window.
    idea = make_idea(author=member)
    comment = services.comment_create(author=member, idea_id=idea.pk, body="Fair point")
    spam = " ".join(f"https://spam.example/{n}" for n in range(12))

    with pytest.raises(LooksLikeSpam, match="at most 4 links; this one has 12"):
        services.comment_update(editor=member, comment_id=comment.pk, body=spam)
    with pytest.raises(LooksLikeSpam, match="at most 4 links; this one has 12"):
        services.idea_update(
            editor=member, idea_id=idea.pk, title=idea.title, body=spam,
            category=idea.category,
        )  # fmt: skip
    comment.refresh_from_db()
    idea.refresh_from_db()
    assert comment.body == "Fair point" and "spam.example" not in idea.body

    # Over HTTP it is a clear refusal, not a 500, and nothing changes.
    client = Client()
    client.force_login(member)
    response = client.post(f"/ideas/comments/{comment.pk}/edit/", {"body": spam})
    assert response.status_code == 400
    assert "this one has 12" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Fair point"

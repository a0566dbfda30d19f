import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from voting.models import Vote

from cms.models import HomePage, StandardPage, StormSessionPage, StoryPage
from community import roles
from community.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from community.models import User
from ideas import services
from ideas.models import SHIPPED_STATUSES, Comment, Idea, Status


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_every_account(capsys):
    call_command("load_demo")
    first = (
        User.objects.count(),
        Idea.objects.count(),
        Vote.objects.count(),
        Comment.objects.count(),
    )
    call_command("load_demo")

    output = capsys.readouterr().out
    assert (
        User.objects.count(),
        Idea.objects.count(),
        Vote.objects.count(),
        Comment.objects.count(),
    ) == first
    assert first[1] >= 200 and first[2] > first[1] and first[3] > 100
    assert set(Idea.objects.values_list("status", flat=True)) == set(Status.values)
    assert HomePage.objects.count() == 1
    assert services.idea_counters_repair(fix=False) == []
    # The Wagtail site: stories on shipped ideas, one open and one closed session, guidelines.
    assert StoryPage.objects.live().count() == 3
    assert all(
        link.idea.status in SHIPPED_STATUSES
        for story in StoryPage.objects.all()
        for link in story.story_ideas.all()
    )
    sessions = StormSessionPage.objects.live()
    assert sorted(s.is_open() for s in sessions) == [False, True]
    assert all(s.ideas.exists() for s in sessions)
    assert set(StandardPage.objects.values_list("title", flat=True)) == {
        "Community guidelines", "FAQ", "About",
    }  # fmt: skip
    for account in DEMO_ACCOUNTS:
        assert account.email in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output


@pytest.mark.django_db
def test_each_demo_account_has_its_role_and_can_log_in():
    call_command("load_demo")

    held = {}
    for account in DEMO_ACCOUNTS:
        user = authenticate(email=account.email, password=DEMO_PASSWORD)
        assert user is not None, account.email
        held[user.role] = account.email
        assert user.emailaddress_set.get().verified
    assert set(held) == set(roles.ALL_ROLES)
    assert User.objects.get(email="admin@example.com").is_superuser
    assert not User.objects.get(email="customer@example.com").is_staff_member
    assert User.objects.get(email="responder@example.com").is_staff_member


@pytest.mark.django_db
def test_demo_data_agrees_with_itself():
    """Stories tell their own ideas, session ideas were shared while the session ran,
    and an idea's pinned answer is about the status it has now."""
    from ideas.selectors import idea_detail

    call_command("load_demo")

    charger = StoryPage.objects.get(title="A charger you can finally leave at home")
    titles = [link.idea.title for link in charger.story_ideas.all()]
    assert titles and all("charger" in title.lower() for title in titles)
    for story in StoryPage.objects.all():
        assert story.story_ideas.exists(), story.title

    for session in StormSessionPage.objects.live():
        ideas = list(session.ideas.all())
        assert len(ideas) >= 3, session.title
        for idea in ideas:
            assert session.starts_at <= idea.created_at < session.ends_at, idea.title
            assert idea.category_id == session.product_area_id

    viewer = User.objects.get(email="customer@example.com")
    for idea in Idea.objects.published().exclude(status__in=["new", "duplicate"]):
        pinned = idea_detail(pk=idea.pk, viewer=viewer).official_response
        if pinned is None:
            continue
        last_step = idea.status_events.order_by("-created_at", "-id").first()
        assert pinned.created_at >= last_step.created_at, (idea.title, idea.status)

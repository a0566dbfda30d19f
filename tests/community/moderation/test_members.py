"""Suspensions and hiding all of a member's content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community import permissions, roles
from community.audit import Action
from community.core.exceptions import InvalidInput, MemberNotFound, NotAllowed
from community.models import AuditEntry, Notification, Suspension
from community.moderation import services as moderation
from community.moderation.models import Flag
from ideas import services
from ideas.models import Idea
from tests.community.moderation.helpers import comment_on, entries, fresh, signed_in
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


# --- Suspensions ------------------------------------------------------------------------------


def test_a_suspended_member_can_read_but_not_post_vote_comment_or_flag(moderator):
    member = UserFactory()
    idea = make_idea()
    theirs = make_idea(author=member)
    comment = comment_on(idea)
    moderation.member_suspend(
        actor=moderator,
        member_id=member.pk,
        reason="Repeated insults.",
        ends_at=timezone.now() + timedelta(days=3),
    )
    member = fresh(member)
    ideas_before = Idea.objects.count()

    with pytest.raises(NotAllowed, match="suspended until .*Repeated insults"):
        make_idea(author=member)
    with pytest.raises(NotAllowed, match="suspended"):
        comment_on(idea, author=member)
    with pytest.raises(NotAllowed, match="suspended"):
        services.vote_cast(voter=member, idea_id=idea.pk, value=1)
    with pytest.raises(NotAllowed, match="suspended"):
        moderation.flag_create(
            reporter=member, idea_id=idea.pk, comment_id=comment.pk, reason="spam"
        )
    assert Idea.objects.count() == ideas_before and not Flag.objects.exists()

    browser = signed_in(member)
    page = browser.get(idea.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="comment-form"' not in html and ">Flag</a>" not in html
    assert "Your account is suspended" in html
    assert browser.get(theirs.get_absolute_url()).status_code == 200
    response = browser.post(f"/ideas/{idea.pk}/comments/", {"body": "Let me in"})
    assert response.status_code == 403 and "suspended" in response.content.decode()
    assert browser.post(f"/ideas/{idea.pk}/flag/", {"reason": "spam"}).status_code == 403
    assert idea.comments.count() == 1


def test_a_suspension_for_good_and_lifting_it(moderator):
    member = UserFactory()

    suspension = moderation.member_suspend(actor=moderator, member_id=member.pk, reason="Spam")
    assert suspension.ends_at is None
    assert permissions.active_suspension(fresh(member)) == suspension
    with pytest.raises(InvalidInput, match="already suspended"):
        moderation.member_suspend(actor=moderator, member_id=member.pk, reason="More spam")

    moderation.member_suspension_lift(actor=moderator, member_id=member.pk, reason="Appealed")

    assert permissions.active_suspension(fresh(member)) is None
    make_idea(author=fresh(member))  # takes part again
    [suspend] = entries(Action.MEMBER_SUSPEND)
    [lift] = entries(Action.MEMBER_UNSUSPEND)
    assert (suspend.target_id, suspend.after["ends_at"], suspend.reason) == (
        member.pk,
        None,
        "Spam",
    )
    assert (lift.before["suspension"], lift.after, lift.reason) == (
        suspension.pk, {"suspended": False}, "Appealed",
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="is not suspended"):
        moderation.member_suspension_lift(actor=moderator, member_id=member.pk)


def test_a_suspension_that_ended_no_longer_counts(moderator):
    member = UserFactory()
    moderation.member_suspend(
        actor=moderator,
        member_id=member.pk,
        reason="Cool off",
        ends_at=timezone.now() + timedelta(days=1),
    )
    Suspension.objects.update(ends_at=timezone.now() - timedelta(minutes=1))

    make_idea(author=fresh(member))


def test_suspension_refuses_yourself_administrators_the_past_and_strangers(moderator, admin):
    member = UserFactory()
    superuser = UserFactory(is_superuser=True)

    with pytest.raises(NotAllowed, match="your own account"):
        moderation.member_suspend(actor=moderator, member_id=moderator.pk, reason="Test")
    with pytest.raises(NotAllowed, match="Administrators"):
        moderation.member_suspend(actor=moderator, member_id=admin.pk, reason="Coup")
    with pytest.raises(NotAllowed, match="Administrators"):
        moderation.member_suspend(actor=moderator, member_id=superuser.pk, reason="Coup")
    with pytest.raises(InvalidInput, match="in the future"):
        moderation.member_suspend(
            actor=moderator,
            member_id=member.pk,
            reason="Spam",
            ends_at=timezone.now() - timedelta(hours=1),
        )
    with pytest.raises(InvalidInput, match="Give a reason"):
        moderation.member_suspend(actor=moderator, member_id=member.pk, reason="")
    with pytest.raises(MemberNotFound):
        moderation.member_suspend(actor=moderator, member_id=999_999, reason="Spam")
    assert not Suspension.objects.exists() and not AuditEntry.objects.exists()


# --- Bulk hiding -----------------------------------------------------------------------------


def test_hiding_all_of_a_members_content_is_one_transaction_and_one_audit_entry(
    moderator, run_tasks
):
    spammer = UserFactory()
    their_ideas = [
        make_idea(author=spammer, title=f"Great deals on watches number {n}", body=f"Deal {n}")
        for n in range(2)
    ]
    elsewhere = make_idea()
    their_comments = [
        comment_on(elsewhere, author=spammer, body=f"Visit my shop {n}") for n in range(2)
    ]
    comment_on(elsewhere)  # someone else's stays
    moderation.flag_create(reporter=UserFactory(), idea_id=their_ideas[0].pk, reason="spam")

    hidden = moderation.member_content_hide(
        actor=moderator, member_id=spammer.pk, reason="Spam account"
    )

    assert sorted(hidden["ideas"]) == sorted(i.pk for i in their_ideas)
    assert sorted(hidden["comments"]) == sorted(c.pk for c in their_comments)
    assert set(Idea.objects.filter(author=spammer).values_list("visibility", flat=True)) == {
        "hidden"
    }
    assert not spammer.comments.filter(hidden_at=None).exists()
    elsewhere.refresh_from_db()
    assert elsewhere.comment_count == 1
    assert services.idea_counters_repair(fix=False) == []
    assert not Flag.objects.filter(resolved_at=None).exists()
    [entry] = entries(Action.MEMBER_CONTENT_HIDE)
    assert entry.target_id == spammer.pk and entry.reason == "Spam account"
    assert sorted(entry.after["hidden_ideas"]) == sorted(hidden["ideas"])
    assert sorted(entry.after["hidden_comments"]) == sorted(hidden["comments"])
    run_tasks()
    assert Notification.objects.filter(user=spammer, kind="moderation").count() == 1
    with pytest.raises(InvalidInput, match="no published ideas or visible comments"):
        moderation.member_content_hide(actor=moderator, member_id=spammer.pk, reason="Again")
    assert len(entries(Action.MEMBER_CONTENT_HIDE)) == 1


def test_bulk_hiding_needs_the_suspend_permission(admin):
    spammer = UserFactory()
    make_idea(author=spammer)

    with pytest.raises(NotAllowed):
        moderation.member_content_hide(
            actor=staff_user(roles.PRODUCT_MANAGER), member_id=spammer.pk, reason="Spam"
        )
    with pytest.raises(NotAllowed, match="Administrators"):
        moderation.member_content_hide(
            actor=staff_user(roles.COMMUNITY_MANAGER), member_id=admin.pk, reason="Spam"
        )
    assert Idea.objects.filter(author=spammer, visibility="published").exists()

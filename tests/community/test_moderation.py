"""Moderation: flags, the queue, hiding and restoring, edits with revisions, locks,
suspensions, bulk hiding and the audit log; each service's rules, permissions
and bad input, and the pages staff and members see."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community import moderation, roles
from community.audit import Action
from community.models import AuditEntry, Flag, Notification, Suspension, User
from ideas import services
from ideas.exceptions import (
    CommentNotFound,
    IdeaClosed,
    IdeaNotFound,
    InvalidInput,
    MemberNotFound,
    NotAllowed,
)
from ideas.models import CommentRevision, Idea, IdeaRevision, Visibility
from realtime.api import idea_events_after
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return staff_user(roles.COMMUNITY_MANAGER, display_name="Maria Gomez")


@pytest.fixture
def admin():
    return staff_user(roles.ADMINISTRATOR, display_name="Chris Admin")


def fresh(user) -> User:
    """The member as a new request would load them (cached properties empty)."""
    return User.objects.get(pk=user.pk)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def comment_on(idea, *, author=None, body="I would use this every day."):
    return services.comment_create(author=author or UserFactory(), idea_id=idea.pk, body=body)


# --- Flags ----------------------------------------------------------------------------


def test_a_member_flags_an_idea_and_a_comment_once_each():
    idea = make_idea()
    comment = comment_on(idea)
    reporter = UserFactory()

    moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="spam", text="An advert")
    moderation.flag_create(
        reporter=reporter, idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
    )

    with pytest.raises(InvalidInput, match="You already flagged this idea"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="other")
    with pytest.raises(InvalidInput, match="You already flagged this comment"):
        moderation.flag_create(
            reporter=reporter, idea_id=idea.pk, comment_id=comment.pk, reason="spam"
        )
    flags = list(Flag.objects.order_by("id").values_list("comment_id", "reason", "text"))
    assert flags == [(None, "spam", "An advert"), (comment.pk, "abuse", "")]


def test_bad_flags_are_refused_and_nothing_is_stored():
    idea = make_idea()
    other_idea_comment = comment_on(make_idea())
    reporter = UserFactory()

    with pytest.raises(InvalidInput, match="Choose why"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="")
    with pytest.raises(InvalidInput, match="Choose why"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="because")
    with pytest.raises(IdeaNotFound):
        moderation.flag_create(reporter=reporter, idea_id=999_999, reason="spam")
    with pytest.raises(CommentNotFound):
        moderation.flag_create(
            reporter=reporter, idea_id=idea.pk, comment_id=other_idea_comment.pk, reason="spam"
        )
    with pytest.raises(InvalidInput, match="at most 500"):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="spam", text="x" * 501)
    with pytest.raises(NotAllowed, match="your own idea"):
        moderation.flag_create(reporter=idea.author, idea_id=idea.pk, reason="spam")
    with pytest.raises(NotAllowed, match="confirm your email"):
        moderation.flag_create(reporter=UserFactory(verified=False), idea_id=idea.pk, reason="spam")
    assert not Flag.objects.exists()


# --- Hiding and restoring ideas ------------------------------------------------------------


def test_hiding_an_idea_resolves_its_flags_tells_the_author_and_is_audited(
    moderator, django_capture_on_commit_callbacks
):
    idea = make_idea(title="Cheap watches at my shop")
    comment = comment_on(idea)
    for reporter in (UserFactory(), UserFactory()):
        moderation.flag_create(reporter=reporter, idea_id=idea.pk, reason="spam")
    comment_flag = moderation.flag_create(
        reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk, reason="off_topic"
    )

    with django_capture_on_commit_callbacks(execute=True):
        moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Advertising.")

    idea.refresh_from_db()
    assert idea.visibility == Visibility.HIDDEN
    assert idea.moderation_reason == "Advertising."
    idea_flags = Flag.objects.filter(idea=idea, comment=None)
    assert {(f.resolution, f.resolved_by_id) for f in idea_flags} == {("hidden", moderator.pk)}
    assert Flag.objects.get(pk=comment_flag.pk).resolved_at is None  # the comment's own flag
    notice = Notification.objects.get(user=idea.author, kind=Notification.Kind.MODERATION)
    assert "Advertising." in notice.text and notice.actor == moderator
    [entry] = entries(Action.IDEA_HIDE)
    assert (entry.actor, entry.target_id, entry.reason) == (moderator, idea.pk, "Advertising.")
    assert entry.before == {"visibility": "published"}
    assert entry.after["visibility"] == "hidden"
    assert sorted(entry.after["resolved_flags"]) == sorted(f.pk for f in idea_flags)
    # Customers' live pages are told (and their sockets close on it).
    assert [e["kind"] for e in idea_events_after(idea_id=idea.pk, after=0)][-1] == "hidden"


def test_a_hidden_idea_shows_its_author_the_reason_and_nobody_else(moderator):
    idea = make_idea(title="Cheap watches at my shop")
    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Advertising is not allowed.")

    author_page = signed_in(idea.author).get(idea.get_absolute_url())
    assert author_page.status_code == 200
    html = author_page.content.decode()
    assert "A moderator hid this idea." in html and "Advertising is not allowed." in html
    assert "Only you and staff can see it." in html
    assert signed_in(UserFactory()).get(idea.get_absolute_url()).status_code == 404
    assert Client().get(idea.get_absolute_url()).status_code == 404
    assert idea.title not in Client().get("/ideas/").content.decode()
    assert signed_in(moderator).get(idea.get_absolute_url()).status_code == 200


def test_restoring_an_idea_publishes_it_again(moderator):
    idea = make_idea()
    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Looks like spam")

    moderation.idea_restore(actor=moderator, idea_id=idea.pk, reason="It was not spam")

    idea.refresh_from_db()
    assert (idea.visibility, idea.moderation_reason) == ("published", "")
    [entry] = entries(Action.IDEA_RESTORE)
    assert entry.before == {"visibility": "hidden", "moderation_reason": "Looks like spam"}
    assert entry.after == {"visibility": "published"}
    assert entry.reason == "It was not spam"
    with pytest.raises(InvalidInput, match="not hidden"):
        moderation.idea_restore(actor=moderator, idea_id=idea.pk)
    assert len(entries(Action.IDEA_RESTORE)) == 1


@pytest.mark.parametrize("role", [None, roles.STAFF_RESPONDER, roles.PRODUCT_MANAGER])
def test_only_moderators_hide_and_nothing_changes_otherwise(role):
    idea = make_idea()
    actor = staff_user(role) if role else UserFactory()

    with pytest.raises(NotAllowed, match="Only community managers and administrators"):
        moderation.idea_hide(actor=actor, idea_id=idea.pk, reason="Spam")
    with pytest.raises(NotAllowed):
        moderation.thread_lock(actor=actor, idea_id=idea.pk, reason="Heated")
    with pytest.raises(NotAllowed):
        moderation.member_suspend(actor=actor, member_id=idea.author_id, reason="Spam")

    idea.refresh_from_db()
    assert idea.visibility == "published" and not idea.is_locked
    assert not AuditEntry.objects.exists() and not Suspension.objects.exists()


def test_hiding_needs_a_reason_and_an_existing_published_idea(moderator):
    idea = make_idea()

    with pytest.raises(InvalidInput, match="Give a reason"):
        moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="   ")
    with pytest.raises(InvalidInput, match="at most 300"):
        moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="x" * 301)
    with pytest.raises(IdeaNotFound):
        moderation.idea_hide(actor=moderator, idea_id=999_999, reason="Spam")
    services.idea_withdraw(author=idea.author, idea_id=idea.pk)
    with pytest.raises(InvalidInput, match="withdrew"):
        moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Spam")

    idea.refresh_from_db()
    assert idea.visibility == "withdrawn" and idea.moderation_reason == ""
    assert not AuditEntry.objects.exists()


# --- Hiding and restoring comments -------------------------------------------------------


def test_a_hidden_comment_leaves_the_count_and_a_restored_one_returns(moderator):
    idea = make_idea()
    keep = comment_on(idea)
    spam = comment_on(idea, body="Buy followers at example dot com today")
    moderation.flag_create(
        reporter=UserFactory(), idea_id=idea.pk, comment_id=spam.pk, reason="spam"
    )

    moderation.comment_hide(actor=moderator, comment_id=spam.pk, reason="Spam link")

    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert services.idea_counters_repair(fix=False) == []
    assert Flag.objects.get(comment=spam).resolution == "hidden"
    [hidden] = entries(Action.COMMENT_HIDE)
    assert (hidden.target_id, hidden.reason, hidden.before) == (
        spam.pk,
        "Spam link",
        {"hidden": False},
    )
    with pytest.raises(InvalidInput, match="already hidden"):
        moderation.comment_hide(actor=moderator, comment_id=spam.pk, reason="Again")

    moderation.comment_restore(actor=moderator, comment_id=spam.pk)
    idea.refresh_from_db()
    assert idea.comment_count == 2
    assert services.idea_counters_repair(fix=False) == []
    [restored] = entries(Action.COMMENT_RESTORE)
    assert restored.before == {"hidden": True, "hidden_reason": "Spam link"}

    # An author removing their hidden comment does not take it off the count twice.
    moderation.comment_hide(actor=moderator, comment_id=keep.pk, reason="Rude")
    services.comment_delete(actor=keep.author, comment_id=keep.pk)
    idea.refresh_from_db()
    assert idea.comment_count == 1
    assert services.idea_counters_repair(fix=False) == []


def test_a_hidden_comment_shows_a_placeholder_to_others_and_the_reason_to_its_author(moderator):
    idea = make_idea()
    comment = comment_on(idea, body="Something rude about another member")
    moderation.comment_hide(actor=moderator, comment_id=comment.pk, reason="Be kind to others")

    other = signed_in(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert "Hidden by a moderator." in other
    assert "Something rude" not in other and "Be kind to others" not in other

    own = signed_in(comment.author).get(idea.get_absolute_url()).content.decode()
    assert "Something rude" in own and "Reason: Be kind to others" in own

    staff_view = signed_in(moderator).get(idea.get_absolute_url()).content.decode()
    assert "Something rude" in staff_view and "Restore" in staff_view

    # Nobody can reply to it, and the stored events replay only the placeholder.
    with pytest.raises(InvalidInput):
        services.comment_create(
            author=UserFactory(), idea_id=idea.pk, body="Reply", parent_id=comment.pk
        )
    stored = [e for e in idea_events_after(idea_id=idea.pk, after=0) if e["html"]]
    assert stored and all("Something rude" not in e["html"] for e in stored)
    assert [e["kind"] for e in stored][-1] == "comment_hidden"

    moderation.comment_restore(actor=moderator, comment_id=comment.pk)
    stored = [e for e in idea_events_after(idea_id=idea.pk, after=0) if e["html"]]
    assert all("Something rude" in e["html"] for e in stored)


def test_a_hidden_official_response_is_no_longer_pinned(moderator):
    idea = make_idea()
    response = services.comment_create(
        author=moderator, idea_id=idea.pk, body="We will look at this soon.", official=True
    )
    admin = staff_user(roles.ADMINISTRATOR)

    moderation.comment_hide(actor=admin, comment_id=response.pk, reason="Posted by mistake")

    page = signed_in(UserFactory()).get(idea.get_absolute_url())
    assert page.context["detail"].official_response is None


# --- Edits and revisions --------------------------------------------------------------------


def test_a_moderator_edit_keeps_the_old_text_and_tells_the_author(moderator):
    idea = make_idea(title="Call me on 555 0100 about laptops", body="My number is 555 0100.")

    moderation.idea_moderator_edit(
        actor=moderator,
        idea_id=idea.pk,
        title="Call me about laptops",
        body="My number is [removed].",
        reason="Removed a phone number",
    )

    idea.refresh_from_db()
    assert (idea.title, idea.body) == ("Call me about laptops", "My number is [removed].")
    [revision] = IdeaRevision.objects.filter(idea=idea)
    assert (revision.title, revision.body, revision.editor) == (
        "Call me on 555 0100 about laptops", "My number is 555 0100.", moderator,
    )  # fmt: skip
    [entry] = entries(Action.IDEA_EDIT)
    assert entry.before["body"] == "My number is 555 0100."
    assert entry.after["title"] == "Call me about laptops"
    assert Notification.objects.filter(user=idea.author, kind="moderation").exists()
    with pytest.raises(InvalidInput, match="Nothing changed"):
        moderation.idea_moderator_edit(
            actor=moderator, idea_id=idea.pk, title=idea.title, body=idea.body, reason="Again"
        )
    with pytest.raises(InvalidInput, match="Give a reason"):
        moderation.idea_moderator_edit(
            actor=moderator, idea_id=idea.pk, title=idea.title, body="New text", reason=""
        )
    assert IdeaRevision.objects.filter(idea=idea).count() == 1


def test_comment_edits_by_authors_and_moderators_keep_revisions(moderator):
    idea = make_idea()
    comment = comment_on(idea, body="First version")

    services.comment_update(editor=comment.author, comment_id=comment.pk, body="Second version")
    moderation.comment_moderator_edit(
        actor=moderator, comment_id=comment.pk, body="Third version", reason="Tidied a slur"
    )

    revisions = list(CommentRevision.objects.filter(comment=comment).order_by("id"))
    assert [(r.body, r.editor) for r in revisions] == [
        ("First version", comment.author),
        ("Second version", moderator),
    ]
    [entry] = entries(Action.COMMENT_EDIT)
    assert (entry.before, entry.after) == ({"body": "Second version"}, {"body": "Third version"})


def test_staff_see_the_revision_history_on_the_idea_page_and_members_do_not(moderator):
    idea = make_idea(body="The original description.")
    moderation.idea_moderator_edit(
        actor=moderator, idea_id=idea.pk, title=idea.title, body="Edited.", reason="Tidy"
    )

    staff_page = signed_in(staff_user()).get(idea.get_absolute_url()).content.decode()
    assert "Revision history" in staff_page and "The original description." in staff_page
    member_page = signed_in(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert "Revision history" not in member_page
    assert "The original description." not in member_page


# --- Locks ----------------------------------------------------------------------------------


def test_a_locked_thread_takes_no_comments_but_votes_and_official_responses(moderator):
    idea = make_idea()

    moderation.thread_lock(actor=moderator, idea_id=idea.pk, reason="Going in circles")

    with pytest.raises(IdeaClosed, match="locked this discussion"):
        comment_on(idea)
    services.vote_cast(voter=UserFactory(), idea_id=idea.pk, value=1)
    services.comment_create(
        author=moderator, idea_id=idea.pk, body="We have read it all: planning.", official=True
    )
    page = signed_in(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert "A moderator locked this discussion" in page and 'id="comment-form"' not in page
    with pytest.raises(InvalidInput, match="already locked"):
        moderation.thread_lock(actor=moderator, idea_id=idea.pk, reason="Again")

    moderation.thread_unlock(actor=moderator, idea_id=idea.pk)
    comment_on(idea)
    idea.refresh_from_db()
    assert (idea.promotes, idea.comment_count) == (2, 2)
    [lock] = entries(Action.THREAD_LOCK)
    [unlock] = entries(Action.THREAD_UNLOCK)
    assert (lock.before, lock.after, lock.reason) == (
        {"locked": False}, {"locked": True}, "Going in circles",
    )  # fmt: skip
    assert unlock.after == {"locked": False}


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
    assert fresh(member).active_suspension == suspension
    with pytest.raises(InvalidInput, match="already suspended"):
        moderation.member_suspend(actor=moderator, member_id=member.pk, reason="More spam")

    moderation.member_suspension_lift(actor=moderator, member_id=member.pk, reason="Appealed")

    assert fresh(member).active_suspension is None
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


def test_hiding_all_of_a_members_content_is_one_transaction_and_one_audit_entry(moderator):
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


# --- Dismissing flags --------------------------------------------------------------------------


def test_dismissing_flags_closes_them_without_touching_the_item(moderator):
    idea = make_idea()
    comment = comment_on(idea)
    flag = moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="off_topic")
    comment_flag = moderation.flag_create(
        reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
    )

    ids = moderation.flags_dismiss(actor=moderator, idea_id=idea.pk, reason="It is on topic")

    assert ids == [flag.pk]
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by) == ("dismissed", moderator)
    assert Flag.objects.get(pk=comment_flag.pk).resolved_at is None
    idea.refresh_from_db()
    assert idea.visibility == "published"
    [entry] = entries(Action.FLAGS_DISMISS)
    assert entry.before == {"open_flags": [flag.pk]} and entry.reason == "It is on topic"
    with pytest.raises(InvalidInput, match="no open flags"):
        moderation.flags_dismiss(actor=moderator, idea_id=idea.pk, reason="Again")
    with pytest.raises(CommentNotFound):
        moderation.flags_dismiss(
            actor=moderator, idea_id=make_idea().pk, comment_id=comment.pk, reason="Wrong idea"
        )


# --- Pages ---------------------------------------------------------------------------------------


def test_the_flag_form_refuses_bad_input_and_double_flags():
    idea = make_idea()
    reporter = signed_in(UserFactory())
    url = f"/ideas/{idea.pk}/flag/"

    form = reporter.get(url)
    assert form.status_code == 200 and "Spam or advertising" in form.content.decode()
    missing = reporter.post(url, {"text": "No reason"})
    assert (
        missing.status_code == 400
        and "Choose why you are flagging this." in missing.content.decode()
    )
    assert not Flag.objects.exists()

    sent = reporter.post(url, {"reason": "spam", "text": "An advert"}, follow=True)
    assert "Thank you. A moderator will look at it." in sent.content.decode()
    again = reporter.post(url, {"reason": "spam"})
    assert again.status_code == 400 and "You already flagged this idea" in again.content.decode()
    assert Flag.objects.count() == 1

    assert reporter.get("/ideas/999999/flag/").status_code == 404
    assert reporter.get("/ideas/comments/999999/flag/").status_code == 404
    assert signed_in(idea.author).get(url).status_code == 403


def test_flag_links_show_for_participants_on_others_content():
    idea = make_idea()
    comment = comment_on(idea)

    html = signed_in(UserFactory()).get(idea.get_absolute_url()).content.decode()
    assert f'href="/ideas/{idea.pk}/flag/"' in html
    assert f'href="/ideas/comments/{comment.pk}/flag/"' in html
    own = signed_in(idea.author).get(idea.get_absolute_url()).content.decode()
    assert f'href="/ideas/{idea.pk}/flag/"' not in own
    assert f"/ideas/{idea.pk}/flag/" not in Client().get(idea.get_absolute_url()).content.decode()


def test_the_queue_groups_flags_most_flagged_then_oldest_first(moderator):
    now = timezone.now()
    lonely, popular = make_idea(title="Flagged once, long ago"), make_idea(title="Flagged twice")
    comment = comment_on(lonely, body="A comment flagged once, recently")
    moderation.flag_create(
        reporter=UserFactory(), idea_id=lonely.pk, reason="spam", now=now - timedelta(hours=5)
    )
    for reason in ("spam", "abuse"):
        moderation.flag_create(reporter=UserFactory(), idea_id=popular.pk, reason=reason, now=now)
    moderation.flag_create(
        reporter=UserFactory(),
        idea_id=lonely.pk,
        comment_id=comment.pk,
        reason="personal",
        text="It has my address",
    )

    response = signed_in(moderator).get("/staff/moderation/")

    assert response.status_code == 200
    items = response.context["items"]
    assert [(i.idea.pk, i.comment and i.comment.pk, i.count) for i in items] == [
        (popular.pk, None, 2), (lonely.pk, None, 1), (lonely.pk, comment.pk, 1),
    ]  # fmt: skip
    assert sorted(items[0].reasons) == [("Abusive or hateful", 1), ("Spam or advertising", 1)]
    html = response.content.decode()
    assert "It has my address" in html and "A comment flagged once, recently" in html


def test_hiding_from_the_queue_needs_a_reason_and_then_goes_back_to_the_queue(moderator):
    idea = make_idea()
    moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
    browser = signed_in(moderator)
    url = f"/staff/moderation/ideas/{idea.pk}/hide/"

    missing = browser.post(url, {"reason": "", "next": "/staff/moderation/"})
    assert missing.status_code == 400 and "Give a reason" in missing.content.decode()
    idea.refresh_from_db()
    assert idea.visibility == "published" and not AuditEntry.objects.exists()

    done = browser.post(url, {"reason": "Advertising", "next": "/staff/moderation/"})
    assert done.status_code == 302 and done["Location"] == "/staff/moderation/"
    idea.refresh_from_db()
    assert idea.visibility == "hidden"
    assert browser.get("/staff/moderation/").context["items"] == []
    # Hiding twice is a clear error, not a second entry.
    again = browser.post(url, {"reason": "Advertising"})
    assert again.status_code == 400 and "already hidden" in again.content.decode()
    assert len(entries(Action.IDEA_HIDE)) == 1
    assert browser.post("/staff/moderation/ideas/999999/hide/", {"reason": "x"}).status_code == 404


def staff_urls(idea, comment, member) -> list[tuple[str, dict]]:
    return [
        ("/staff/moderation/", {}),
        (f"/staff/moderation/ideas/{idea.pk}/hide/", {"reason": "Spam"}),
        (f"/staff/moderation/ideas/{idea.pk}/restore/", {"reason": "OK"}),
        (f"/staff/moderation/ideas/{idea.pk}/edit/", {"title": "T", "body": "B", "reason": "R"}),
        (f"/staff/moderation/ideas/{idea.pk}/lock/", {"reason": "Heated"}),
        (f"/staff/moderation/ideas/{idea.pk}/unlock/", {"reason": "OK"}),
        (f"/staff/moderation/ideas/{idea.pk}/dismiss/", {"reason": "Fine"}),
        (f"/staff/moderation/comments/{comment.pk}/hide/", {"reason": "Rude"}),
        (f"/staff/moderation/comments/{comment.pk}/restore/", {"reason": "OK"}),
        (f"/staff/moderation/comments/{comment.pk}/edit/", {"body": "Edited", "reason": "R"}),
        (f"/staff/moderation/comments/{comment.pk}/dismiss/", {"reason": "Fine"}),
        (f"/staff/moderation/members/{member.pk}/", {}),
        (f"/staff/moderation/members/{member.pk}/suspend/", {"length": "good", "reason": "Spam"}),
        (f"/staff/moderation/members/{member.pk}/lift/", {"reason": "OK"}),
        (f"/staff/moderation/members/{member.pk}/hide-content/", {"reason": "Spam"}),
        ("/staff/audit/", {}),
    ]  # fmt: skip


@pytest.mark.parametrize("role", [None, roles.STAFF_RESPONDER, roles.PRODUCT_MANAGER])
def test_members_and_other_staff_get_403_on_every_moderation_url_and_nothing_changes(role):
    idea = make_idea()
    comment = comment_on(idea)
    moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
    caller = signed_in(staff_user(role) if role else UserFactory())

    for url, data in staff_urls(idea, comment, idea.author):
        response = caller.post(url, data) if data else caller.get(url)
        assert response.status_code == 403, url
        assert "Only" in response.content.decode(), url

    idea.refresh_from_db()
    comment.refresh_from_db()
    assert (idea.visibility, idea.title, idea.is_locked) == ("published", idea.title, False)
    assert not comment.is_hidden and not Suspension.objects.exists()
    assert Flag.objects.filter(resolved_at=None).count() == 1
    assert not AuditEntry.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    idea = make_idea()
    for url, data in staff_urls(idea, comment_on(idea), idea.author):
        response = client.post(url, data) if data else client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert client.get(f"/ideas/{idea.pk}/flag/").status_code == 302
    assert idea.comments.get().hidden_at is None


def test_community_managers_moderate_but_only_administrators_read_the_audit_log(moderator, admin):
    idea = make_idea()
    moderation.idea_hide(actor=moderator, idea_id=idea.pk, reason="Spam")
    moderation.thread_lock(actor=admin, idea_id=idea.pk, reason="Heated")

    assert signed_in(moderator).get("/staff/moderation/").status_code == 200
    denied = signed_in(moderator).get("/staff/audit/")
    assert denied.status_code == 403
    assert "Only administrators can read the audit log." in denied.content.decode()

    log = signed_in(admin).get("/staff/audit/")
    assert log.status_code == 200
    assert [e.action for e in log.context["entries"]] == ["thread_lock", "idea_hide"]
    html = log.content.decode()
    assert "Hid an idea" in html and "Maria Gomez" in html and "Heated" in html
    filtered = signed_in(admin).get("/staff/audit/", {"action": "idea_hide"})
    assert [e.actor for e in filtered.context["entries"]] == [moderator]
    by_actor = signed_in(admin).get("/staff/audit/", {"actor": admin.pk})
    assert [e.action for e in by_actor.context["entries"]] == ["thread_lock"]
    assert signed_in(admin).get("/staff/audit/", {"action": "nonsense"}).status_code == 400
    assert signed_in(admin).get("/staff/audit/", {"page": 9}).status_code == 404


def test_the_member_page_suspends_for_days_or_for_good_and_lifts(moderator):
    member = UserFactory(display_name="Sam Spammer")
    browser = signed_in(moderator)
    page = f"/staff/moderation/members/{member.pk}/"

    assert "Sam Spammer" in browser.get(page).content.decode()
    missing = browser.post(f"{page}suspend/", {"length": "days", "days": "", "reason": "Spam"})
    assert missing.status_code == 400 and "for how many days" in missing.content.decode()
    browser.post(f"{page}suspend/", {"length": "days", "days": "3", "reason": "Spam"})
    suspension = Suspension.objects.get(member=member)
    assert (
        timedelta(days=2, hours=23)
        < suspension.ends_at - suspension.created_at
        <= timedelta(days=3)
    )
    assert "Suspended until" in browser.get(page).content.decode()

    browser.post(f"{page}lift/", {"reason": "Appeal accepted"})
    browser.post(f"{page}suspend/", {"length": "good", "reason": "Back at it"})
    assert Suspension.objects.filter(member=member, ends_at=None, lifted_at=None).exists()
    assert "Suspended for good" in browser.get(page).content.decode()
    assert browser.get("/staff/moderation/members/999999/").status_code == 404


def test_the_queue_and_the_audit_log_do_not_query_per_item(
    moderator, admin, django_assert_max_num_queries
):
    def flag_some(n: int) -> None:
        for _ in range(n):
            idea = make_idea()
            comment = comment_on(idea)
            moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, reason="spam")
            moderation.flag_create(
                reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk, reason="abuse"
            )
            moderation.thread_lock(actor=admin, idea_id=idea.pk, reason="Heated")

    flag_some(2)
    queue, log = signed_in(moderator), signed_in(admin)
    with CaptureQueriesContext(connection) as few_queue:
        assert queue.get("/staff/moderation/").status_code == 200
    with CaptureQueriesContext(connection) as few_log:
        assert log.get("/staff/audit/").status_code == 200
    flag_some(6)

    with django_assert_max_num_queries(len(few_queue)):
        assert len(queue.get("/staff/moderation/").context["items"]) == 16
    with django_assert_max_num_queries(len(few_log)):
        assert len(log.get("/staff/audit/").context["entries"]) == 8

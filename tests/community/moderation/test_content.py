"""Hiding and restoring ideas and comments, moderator edits with revisions, locks."""

import pytest
from django.test import Client

from community import roles
from community.audit import Action
from community.core.exceptions import InvalidInput, NotAllowed
from community.models import AuditEntry, Notification, Suspension
from community.moderation import services as moderation
from community.moderation.models import Flag
from ideas import services
from ideas.exceptions import IdeaClosed, IdeaNotFound
from ideas.models import CommentRevision, IdeaRevision, Visibility
from realtime.api import idea_events_after
from tests.community.moderation.helpers import comment_on, entries, signed_in
from tests.factories import UserFactory, make_idea, staff_user

pytestmark = pytest.mark.django_db


# --- Hiding and restoring ideas ------------------------------------------------------------


def test_hiding_an_idea_resolves_its_flags_tells_the_author_and_is_audited(
    moderator, django_capture_on_commit_callbacks, run_tasks
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
    run_tasks()  # the worker stores the notice
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


def test_a_moderator_edit_keeps_the_old_text_and_tells_the_author(moderator, run_tasks):
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
    run_tasks()
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


# --- Removing someone else's comment -----------------------------------------------------


def test_a_moderator_removes_another_members_comment_with_a_reason_audited_and_told(
    moderator, run_tasks
):
    idea = make_idea()
    comment = comment_on(idea, body="Buy cheap watches at my shop")
    moderation.flag_create(reporter=UserFactory(), idea_id=idea.pk, comment_id=comment.pk,
                           reason="spam")  # fmt: skip

    # The idea page's plain removal is the author's own; a moderator needs a reason.
    with pytest.raises(NotAllowed, match="giving a reason"):
        services.comment_delete(actor=moderator, comment_id=comment.pk)
    with pytest.raises(InvalidInput, match="Give a reason"):
        moderation.comment_remove(actor=moderator, comment_id=comment.pk, reason="")

    moderation.comment_remove(actor=moderator, comment_id=comment.pk, reason="Advertising")

    comment.refresh_from_db()
    assert comment.is_removed
    [entry] = entries(Action.COMMENT_REMOVE)
    assert entry.actor == moderator and entry.reason == "Advertising"
    assert entry.before["body"] == "Buy cheap watches at my shop"
    run_tasks()
    note = Notification.objects.get(user=comment.author, kind="moderation")
    assert "removed your comment" in note.text and "Advertising" in note.text
    assert not Flag.objects.filter(comment=comment, resolved_at__isnull=True).exists()
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_the_remove_link_asks_moderators_for_a_reason(moderator):
    idea = make_idea()
    comment = comment_on(idea, body="Off-topic rant")
    staff = signed_in(moderator)

    page = staff.get(idea.get_absolute_url()).content.decode()
    assert f"/staff/moderation/comments/{comment.pk}/remove/" in page
    assert f"/ideas/comments/{comment.pk}/delete/" not in page  # not the author's button

    form = staff.get(f"/staff/moderation/comments/{comment.pk}/remove/")
    assert form.status_code == 200 and "Remove comment" in form.content.decode()
    assert (
        staff.post(f"/staff/moderation/comments/{comment.pk}/remove/", {"reason": " "}).status_code
        == 400
    )
    done = staff.post(f"/staff/moderation/comments/{comment.pk}/remove/", {"reason": "Off topic"})
    assert done.status_code == 302
    assert entries(Action.COMMENT_REMOVE)
    # A member cannot use it.
    other = signed_in(UserFactory())
    assert other.post(f"/staff/moderation/comments/{comment.pk}/remove/",
                      {"reason": "x"}).status_code == 403  # fmt: skip

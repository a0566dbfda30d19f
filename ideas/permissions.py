"""What a person may do with one idea or comment. Pure functions over objects.

Who someone is (member, staff, suspended, their role's permissions) is
`community.permissions`; services enforce both, and views turn them into the
flags templates read (`ideas.presenters`).
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from community import configuration
from community.permissions import (
    can_moderate,
    can_participate,
    can_see_hidden,
    in_audience,
    is_member,
)
from ideas.models import Comment, Idea, Visibility


def can_view_idea(user, idea: Idea) -> bool:
    """Published ideas are public; a hidden idea's author still sees it, with the reason.

    An idea in a Storm Session limited to a group is only for that group and staff
    (`IdeaQuerySet.for_audience` is the same rule for lists).
    """
    if not in_audience(user, idea.audience_group_id):
        return False
    if idea.visibility == Visibility.PUBLISHED or can_see_hidden(user):
        return True
    return idea.visibility == Visibility.HIDDEN and is_member(user) and idea.author_id == user.pk


def votes_closed_reason(idea: Idea, now: datetime) -> str:
    """Why an idea takes no votes now because its Storm Session's voting closed, or "".

    The vote service refuses with this reason and the vote buttons show it, disabled.
    """
    session = idea.storm_session if idea.storm_session_id else None
    if session is None or session.takes_votes(now):
        return ""
    return _("Voting in the Storm Session “%(title)s” ended with the session.") % {
        "title": session.title
    }


def is_open_for_participation(idea: Idea) -> bool:
    return idea.is_visible_to_customers


def idea_edit_window() -> timedelta:
    return timedelta(minutes=configuration.current().idea_edit_window_minutes)


def comment_edit_window() -> timedelta:
    return timedelta(minutes=configuration.current().comment_edit_window_minutes)


def can_edit_idea(user, idea: Idea, now: datetime) -> bool:
    """Authors may edit briefly after posting, and only until staff have answered."""
    return (
        can_participate(user)
        and idea.author_id == user.pk
        and idea.visibility == Visibility.PUBLISHED
        and idea.first_staff_response_at is None
        and now - idea.created_at <= idea_edit_window()
    )


def can_withdraw_idea(user, idea: Idea) -> bool:
    return is_member(user) and idea.author_id == user.pk and idea.visibility == Visibility.PUBLISHED


def can_edit_comment(user, comment: Comment, now: datetime) -> bool:
    """Authors may edit their comment within the edit window; suspended members may not."""
    return (
        can_participate(user)
        and comment.author_id == user.pk
        and not comment.is_removed
        and not comment.is_hidden
        and now - comment.created_at <= comment_edit_window()
    )


def can_delete_comment(user, comment: Comment) -> bool:
    """Authors remove their own comments; a moderator removes others' with a reason
    (`can_moderator_remove_comment`, through the moderation service)."""
    return is_member(user) and not comment.is_removed and comment.author_id == user.pk


def can_moderator_remove_comment(user, comment: Comment) -> bool:
    return not comment.is_removed and comment.author_id != user.pk and can_moderate(user)


def can_reply(user, idea: Idea) -> bool:
    return can_participate(user) and is_open_for_participation(idea) and not idea.is_locked


def can_flag(user, author_id: int) -> bool:
    """Members flag what others wrote; their own they can edit or remove."""
    return can_participate(user) and author_id != user.pk


def can_flag_idea(user, idea: Idea) -> bool:
    return idea.is_published and can_flag(user, idea.author_id)

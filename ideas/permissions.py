"""Who may do what. Pure functions: services enforce them, templates ask them."""

from datetime import datetime, timedelta

from django.conf import settings

from community import roles
from ideas.models import Comment, Idea, Status, Visibility


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    """Holds a staff role: shows the staff area's link. Actions check permissions."""
    return is_member(user) and user.is_staff_member


def has(user, permission: str) -> bool:
    # Permissions come with staff roles, so a customer is answered without
    # loading any (the role names are one cached query).
    return is_staff(user) and user.has_perm(permission)


def is_suspended(user) -> bool:
    return is_member(user) and user.active_suspension is not None


def can_participate(user) -> bool:
    """Posting, commenting, voting and flagging need a verified, unsuspended member."""
    return is_member(user) and user.has_verified_email and not is_suspended(user)


def can_see_hidden(user) -> bool:
    return has(user, roles.VIEW_HIDDEN)


def can_view_idea(user, idea: Idea) -> bool:
    """Published ideas are public; a hidden idea's author still sees it, with the reason."""
    if idea.visibility == Visibility.PUBLISHED or can_see_hidden(user):
        return True
    return idea.visibility == Visibility.HIDDEN and is_member(user) and idea.author_id == user.pk


def is_open_for_participation(idea: Idea) -> bool:
    return idea.visibility == Visibility.PUBLISHED and idea.status != Status.DUPLICATE


def idea_edit_window() -> timedelta:
    return timedelta(minutes=settings.IDEA_EDIT_WINDOW_MINUTES)


def can_edit_idea(user, idea: Idea, now: datetime) -> bool:
    """Authors may edit briefly after posting, and only until staff have answered."""
    return (
        is_member(user)
        and idea.author_id == user.pk
        and idea.visibility == Visibility.PUBLISHED
        and idea.first_staff_response_at is None
        and now - idea.created_at <= idea_edit_window()
    )


def can_withdraw_idea(user, idea: Idea) -> bool:
    return is_member(user) and idea.author_id == user.pk and idea.visibility == Visibility.PUBLISHED


def can_edit_comment(user, comment: Comment, now: datetime) -> bool:
    return (
        is_member(user)
        and comment.author_id == user.pk
        and not comment.is_removed
        and not comment.is_hidden
        and now - comment.created_at <= timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return (
        is_member(user)
        and not comment.is_removed
        and (comment.author_id == user.pk or can_moderate(user))
    )


def can_triage(user) -> bool:
    return has(user, roles.TRIAGE)


def can_respond_officially(user) -> bool:
    return has(user, roles.RESPOND)


def can_change_status(user) -> bool:
    return has(user, roles.SET_STATUS)


def can_assign(user) -> bool:
    return has(user, roles.ASSIGN)


def can_merge(user) -> bool:
    return has(user, roles.MERGE)


def can_moderate(user) -> bool:
    return has(user, roles.MODERATE)


def can_suspend(user) -> bool:
    return has(user, roles.SUSPEND)


def can_read_audit_log(user) -> bool:
    return has(user, roles.READ_AUDIT_LOG)


def can_flag(user, author_id: int) -> bool:
    """Members flag what others wrote; their own they can edit or remove."""
    return can_participate(user) and author_id != user.pk

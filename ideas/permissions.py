"""Who may do what. Pure functions: services enforce them, templates ask them."""

from datetime import datetime, timedelta

from django.conf import settings

from ideas.models import Comment, Idea, Status, Visibility


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_staff(user) -> bool:
    return is_member(user) and user.is_staff_member


def can_participate(user) -> bool:
    """Posting, commenting and voting need a signed-in member with a verified email."""
    return is_member(user) and user.has_verified_email


def can_view_idea(user, idea: Idea) -> bool:
    return idea.visibility == Visibility.PUBLISHED or is_staff(user)


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
        and now - comment.created_at <= timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return (
        is_member(user)
        and not comment.is_removed
        and (comment.author_id == user.pk or is_staff(user))
    )


def can_respond_officially(user) -> bool:
    return is_staff(user)


def can_change_status(user) -> bool:
    return is_staff(user)

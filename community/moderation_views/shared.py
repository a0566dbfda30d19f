"""What every moderation view shares: who may ask, and finding what they ask about."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.utils.http import url_has_allowed_host_and_scheme

from ideas import permissions
from ideas.exceptions import CommentNotFound, IdeaNotFound, MemberNotFound, NotAllowed
from ideas.http import handles_domain_errors
from ideas.models import Comment, Idea

User = get_user_model()


def requires(check, message: str):
    """Signed in (else the sign-in page), then `check(user)` (else 403 with `message`)."""

    def decorator(view):
        @login_required
        @handles_domain_errors
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise NotAllowed(message)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


moderator_required = requires(
    permissions.can_moderate, "Only community managers and administrators can moderate content."
)
suspender_required = requires(
    permissions.can_suspend, "Only community managers and administrators can act on members."
)
auditor_required = requires(
    permissions.can_read_audit_log, "Only administrators can read the audit log."
)


def next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def get_idea(pk: int) -> Idea:
    idea = Idea.objects.select_related("author").filter(pk=pk).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def get_comment(pk: int) -> Comment:
    comment = Comment.objects.select_related("idea", "author").filter(pk=pk).first()
    if comment is None or comment.is_removed:
        raise CommentNotFound()
    return comment


def get_member(pk: int):
    member = User.objects.filter(pk=pk).first()
    if member is None:
        raise MemberNotFound()
    return member

"""Flagging (members) and the moderation area (community managers, administrators).

Thin views: each checks who is asking, parses a form and calls one service or
selector. The services check permissions again, so a URL called directly by
someone without the role changes nothing.
"""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from community import moderation, moderation_selectors
from community.moderation_forms import (
    AuditFilterForm,
    CommentEditForm,
    FlagForm,
    IdeaEditForm,
    OptionalReasonForm,
    ReasonForm,
    SuspendForm,
)
from ideas import permissions
from ideas.exceptions import CommentNotFound, IdeaNotFound, MemberNotFound, NotAllowed
from ideas.http import error_response, handles_domain_errors
from ideas.models import Comment, Idea
from ideas.services.rules import require_participant

User = get_user_model()


def _requires(check, message: str):
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


moderator_required = _requires(
    permissions.can_moderate, "Only community managers and administrators can moderate content."
)
suspender_required = _requires(
    permissions.can_suspend, "Only community managers and administrators can act on members."
)
auditor_required = _requires(
    permissions.can_read_audit_log, "Only administrators can read the audit log."
)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _get_idea(pk: int) -> Idea:
    idea = Idea.objects.select_related("author").filter(pk=pk).first()
    if idea is None:
        raise IdeaNotFound()
    return idea


def _get_comment(pk: int) -> Comment:
    comment = Comment.objects.select_related("idea", "author").filter(pk=pk).first()
    if comment is None or comment.is_removed:
        raise CommentNotFound()
    return comment


def _get_member(pk: int):
    member = User.objects.filter(pk=pk).first()
    if member is None:
        raise MemberNotFound()
    return member


# --- Flagging (members) -------------------------------------------------------------


@login_required
@handles_domain_errors
def flag_idea(request, pk: int):
    idea = _get_idea(pk)
    if not permissions.can_view_idea(request.user, idea):
        raise IdeaNotFound()
    return _flag(request, idea=idea, comment=None)


@login_required
@handles_domain_errors
def flag_comment(request, pk: int):
    comment = _get_comment(pk)
    if not permissions.can_view_idea(request.user, comment.idea):
        raise CommentNotFound()
    return _flag(request, idea=comment.idea, comment=comment)


def _flag(request, *, idea: Idea, comment: Comment | None):
    back = idea.get_absolute_url() + (f"#comment-{comment.pk}" if comment else "")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.flag_create(
            reporter=request.user,
            idea_id=idea.pk,
            comment_id=comment.pk if comment else None,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
        messages.success(request, "Thank you. A moderator will look at it.")
        return redirect(back)
    # Say why before someone fills in a form they cannot send.
    require_participant(request.user)
    author_id = comment.author_id if comment else idea.author_id
    if not permissions.can_flag(request.user, author_id):
        what = "comment" if comment else "idea"
        raise NotAllowed(f"You cannot flag your own {what}; you can edit or remove it instead.")
    return render(
        request,
        "community/moderation/flag_form.html",
        {"form": form, "idea": idea, "comment": comment, "back_url": back},
        status=400 if form.is_bound else 200,
    )


# --- The queue ------------------------------------------------------------------------


@require_GET
@moderator_required
def queue(request):
    try:
        page = moderation_selectors.flag_queue(page_number=int(request.GET.get("page", 1)))
    except (ValueError, EmptyPage):
        return error_response(request, "That page of the queue does not exist.", status=404)
    return render(
        request,
        "community/moderation/queue.html",
        {
            "page_obj": page,
            "items": page.object_list,
            "can_suspend": permissions.can_suspend(request.user),
        },
    )


def _action_page(
    request,
    *,
    form,
    perform,
    title: str,
    intro: str,
    submit: str,
    success: str,
    back_url: str,
    idea: Idea,
    comment: Comment | None = None,
    danger: bool = False,
):
    """A confirm-and-explain page for one moderator action: GET shows it, POST does it."""
    if request.method == "POST" and form.is_valid():
        perform(form.cleaned_data)
        messages.success(request, success)
        return redirect(_next_url(request, back_url))
    return render(
        request,
        "community/moderation/action_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "submit": submit,
            "danger": danger,
            "idea": idea,
            "comment": comment,
            "back_url": _next_url(request, back_url),
        },
        status=400 if form.is_bound else 200,
    )


# --- Ideas ----------------------------------------------------------------------------


@moderator_required
def idea_hide(request, pk: int):
    idea = _get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.idea_hide(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title="Hide this idea",
        intro="Only its author and staff will see it. The author is told the reason.",
        submit="Hide idea",
        success="The idea is hidden. Its author was told why.",
        back_url=idea.get_absolute_url(),
        idea=idea,
        danger=True,
    )


@moderator_required
def idea_restore(request, pk: int):
    idea = _get_idea(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.idea_restore(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title="Restore this idea",
        intro=f"Hidden because: {idea.moderation_reason or 'no reason recorded'}. "
        "Restoring shows it to everyone again.",
        submit="Restore idea",
        success="The idea is visible again.",
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def idea_edit(request, pk: int):
    idea = _get_idea(pk)
    initial = {"title": idea.title, "body": idea.body}
    return _action_page(
        request,
        form=IdeaEditForm(request.POST or None, initial=initial),
        perform=lambda data: moderation.idea_moderator_edit(
            actor=request.user,
            idea_id=pk,
            title=data["title"],
            body=data["body"],
            reason=data["reason"],
        ),
        title="Edit this idea",
        intro="The earlier text is kept as a revision staff can read; the author is told why.",
        submit="Save edit",
        success="The idea is edited; the earlier text is kept as a revision.",
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def thread_lock(request, pk: int):
    idea = _get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.thread_lock(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title="Lock the discussion",
        intro="Nobody can add comments until it is unlocked. Votes and official responses go on.",
        submit="Lock discussion",
        success="The discussion is locked.",
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def thread_unlock(request, pk: int):
    idea = _get_idea(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.thread_unlock(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title="Unlock the discussion",
        intro="Members can comment again.",
        submit="Unlock discussion",
        success="The discussion is open again.",
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def idea_flags_dismiss(request, pk: int):
    idea = _get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.flags_dismiss(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title="Dismiss the flags on this idea",
        intro="The idea stays as it is; its open flags are closed.",
        submit="Dismiss flags",
        success="The flags are dismissed.",
        back_url=reverse("staff:moderation"),
        idea=idea,
    )


# --- Comments -------------------------------------------------------------------------


def _comment_url(comment: Comment) -> str:
    return f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"


@moderator_required
def comment_hide(request, pk: int):
    comment = _get_comment(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.comment_hide(
            actor=request.user, comment_id=pk, reason=data["reason"]
        ),
        title="Hide this comment",
        intro="Others will see “Hidden by a moderator”; its author sees the reason.",
        submit="Hide comment",
        success="The comment is hidden. Its author was told why.",
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
        danger=True,
    )


@moderator_required
def comment_restore(request, pk: int):
    comment = _get_comment(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.comment_restore(
            actor=request.user, comment_id=pk, reason=data["reason"]
        ),
        title="Restore this comment",
        intro=f"Hidden because: {comment.hidden_reason or 'no reason recorded'}.",
        submit="Restore comment",
        success="The comment is visible again.",
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
    )


@moderator_required
def comment_edit(request, pk: int):
    comment = _get_comment(pk)
    return _action_page(
        request,
        form=CommentEditForm(request.POST or None, initial={"body": comment.body}),
        perform=lambda data: moderation.comment_moderator_edit(
            actor=request.user, comment_id=pk, body=data["body"], reason=data["reason"]
        ),
        title="Edit this comment",
        intro="The earlier text is kept as a revision staff can read; the author is told why.",
        submit="Save edit",
        success="The comment is edited; the earlier text is kept as a revision.",
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
    )


@moderator_required
def comment_flags_dismiss(request, pk: int):
    comment = _get_comment(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.flags_dismiss(
            actor=request.user, idea_id=comment.idea_id, comment_id=pk, reason=data["reason"]
        ),
        title="Dismiss the flags on this comment",
        intro="The comment stays as it is; its open flags are closed.",
        submit="Dismiss flags",
        success="The flags are dismissed.",
        back_url=reverse("staff:moderation"),
        idea=comment.idea,
        comment=comment,
    )


# --- Members --------------------------------------------------------------------------


def _member_page(request, member, *, status: int = 200, **forms):
    return render(
        request,
        "community/moderation/member.html",
        {
            "record": moderation_selectors.member_record(member=member),
            "member": member,
            "suspend_form": forms.get("suspend_form") or SuspendForm(),
            "lift_form": forms.get("lift_form") or OptionalReasonForm(),
            "hide_form": forms.get("hide_form") or ReasonForm(),
        },
        status=status,
    )


@require_GET
@suspender_required
def member(request, pk: int):
    return _member_page(request, _get_member(pk))


@require_POST
@suspender_required
def member_suspend(request, pk: int):
    member = _get_member(pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, suspend_form=form)
    data = form.cleaned_data
    now = timezone.now()
    moderation.member_suspend(
        actor=request.user,
        member_id=pk,
        reason=data["reason"],
        ends_at=now + timedelta(days=data["days"]) if data["length"] == "days" else None,
        now=now,
    )
    messages.success(request, f"{member.public_name} is suspended.")
    return redirect("staff:moderation_member", pk=pk)


@require_POST
@suspender_required
def member_lift(request, pk: int):
    member = _get_member(pk)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, lift_form=form)
    moderation.member_suspension_lift(
        actor=request.user, member_id=pk, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"{member.public_name} can take part again.")
    return redirect("staff:moderation_member", pk=pk)


@require_POST
@suspender_required
def member_content_hide(request, pk: int):
    member = _get_member(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, hide_form=form)
    hidden = moderation.member_content_hide(
        actor=request.user, member_id=pk, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        f"Hid {len(hidden['ideas'])} ideas and {len(hidden['comments'])} comments "
        f"by {member.public_name}.",
    )
    return redirect("staff:moderation_member", pk=pk)


# --- The audit log ----------------------------------------------------------------------


@require_GET
@auditor_required
def audit_log(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return error_response(request, f"{field}: {errors[0]}", back_url=request.path)
    data = form.cleaned_data
    try:
        page = moderation_selectors.audit_page(
            action=data["action"], actor=data["actor"], page_number=data["page"] or 1
        )
    except EmptyPage:
        return error_response(request, "That page of the audit log does not exist.", status=404)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/moderation/audit_log.html",
        {
            "form": form,
            "page_obj": page,
            "entries": page.object_list,
            "query_without_page": f"{query.urlencode()}&" if query else "",
        },
    )

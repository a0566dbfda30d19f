"""The moderation queue and what moderators do to ideas and comments."""

from django.contrib import messages
from django.core.paginator import EmptyPage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from community import permissions
from community.core.http import error_response
from community.core.ids import parse_page
from community.core.redirects import next_from
from community.moderation import selectors as moderation_selectors
from community.moderation import services as moderation
from community.moderation.forms import (
    CommentEditForm,
    IdeaEditForm,
    OptionalReasonForm,
    ReasonForm,
)
from community.moderation.views.shared import (
    get_comment,
    get_idea,
    moderator_required,
)
from ideas.models import Comment, Idea

# --- The queue ------------------------------------------------------------------------


@require_GET
@moderator_required
def queue(request):
    try:
        page_number = parse_page(request.GET.get("page"))
        if page_number is None:
            raise EmptyPage("not a page number")
        page = moderation_selectors.flag_queue(page_number=page_number)
    except EmptyPage:
        return error_response(request, _("That page of the queue does not exist."), status=404)
    return render(
        request,
        "community/moderation/queue.html",
        {
            "page_obj": page,
            "items": page.object_list,
            "rings": moderation_selectors.suspected_rings(),
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
        return redirect(next_from(request, back_url))
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
            "back_url": next_from(request, back_url),
        },
        status=400 if form.is_bound else 200,
    )


# --- Ideas ----------------------------------------------------------------------------


@moderator_required
def idea_hide(request, pk: int):
    idea = get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.idea_hide(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title=_("Hide this idea"),
        intro=_("Only its author and staff will see it. The author is told the reason."),
        submit=_("Hide idea"),
        success=_("The idea is hidden. Its author was told why."),
        back_url=idea.get_absolute_url(),
        idea=idea,
        danger=True,
    )


@moderator_required
def idea_restore(request, pk: int):
    idea = get_idea(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.idea_restore(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title=_("Restore this idea"),
        intro=_("Hidden because: %(reason)s. Restoring shows it to everyone again.")
        % {"reason": idea.moderation_reason or _("no reason recorded")},
        submit=_("Restore idea"),
        success=_("The idea is visible again."),
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def idea_edit(request, pk: int):
    idea = get_idea(pk)
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
        title=_("Edit this idea"),
        intro=_("The earlier text is kept as a revision staff can read; the author is told why."),
        submit=_("Save edit"),
        success=_("The idea is edited; the earlier text is kept as a revision."),
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def thread_lock(request, pk: int):
    idea = get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.thread_lock(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title=_("Lock the discussion"),
        intro=_(
            "Nobody can add comments until it is unlocked. Votes and official responses go on."
        ),
        submit=_("Lock discussion"),
        success=_("The discussion is locked."),
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def thread_unlock(request, pk: int):
    idea = get_idea(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.thread_unlock(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title=_("Unlock the discussion"),
        intro=_("Members can comment again."),
        submit=_("Unlock discussion"),
        success=_("The discussion is open again."),
        back_url=idea.get_absolute_url(),
        idea=idea,
    )


@moderator_required
def idea_flags_dismiss(request, pk: int):
    idea = get_idea(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.flags_dismiss(
            actor=request.user, idea_id=pk, reason=data["reason"]
        ),
        title=_("Dismiss the flags on this idea"),
        intro=_("The idea stays as it is; its open flags are closed."),
        submit=_("Dismiss flags"),
        success=_("The flags are dismissed."),
        back_url=reverse("staff:moderation"),
        idea=idea,
    )


# --- Comments -------------------------------------------------------------------------


def _comment_url(comment: Comment) -> str:
    return f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"


@moderator_required
def comment_hide(request, pk: int):
    comment = get_comment(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.comment_hide(
            actor=request.user, comment_id=pk, reason=data["reason"]
        ),
        title=_("Hide this comment"),
        intro=_("Others will see “Hidden by a moderator”; its author sees the reason."),
        submit=_("Hide comment"),
        success=_("The comment is hidden. Its author was told why."),
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
        danger=True,
    )


@moderator_required
def comment_restore(request, pk: int):
    comment = get_comment(pk)
    return _action_page(
        request,
        form=OptionalReasonForm(request.POST or None),
        perform=lambda data: moderation.comment_restore(
            actor=request.user, comment_id=pk, reason=data["reason"]
        ),
        title=_("Restore this comment"),
        intro=_("Hidden because: %(reason)s.")
        % {"reason": comment.hidden_reason or _("no reason recorded")},
        submit=_("Restore comment"),
        success=_("The comment is visible again."),
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
    )


@moderator_required
def comment_edit(request, pk: int):
    comment = get_comment(pk)
    return _action_page(
        request,
        form=CommentEditForm(request.POST or None, initial={"body": comment.body}),
        perform=lambda data: moderation.comment_moderator_edit(
            actor=request.user, comment_id=pk, body=data["body"], reason=data["reason"]
        ),
        title=_("Edit this comment"),
        intro=_("The earlier text is kept as a revision staff can read; the author is told why."),
        submit=_("Save edit"),
        success=_("The comment is edited; the earlier text is kept as a revision."),
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
    )


@moderator_required
def comment_remove(request, pk: int):
    comment = get_comment(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.comment_remove(
            actor=request.user, comment_id=pk, reason=data["reason"]
        ),
        title=_("Remove this comment"),
        intro=_(
            "Everyone will see “Comment removed”; this cannot be undone (hiding can). "
            "Its author is told why, and the removal is in the audit log."
        ),
        submit=_("Remove comment"),
        success=_("The comment is removed. Its author was told why."),
        back_url=_comment_url(comment),
        idea=comment.idea,
        comment=comment,
        danger=True,
    )


@moderator_required
def comment_flags_dismiss(request, pk: int):
    comment = get_comment(pk)
    return _action_page(
        request,
        form=ReasonForm(request.POST or None),
        perform=lambda data: moderation.flags_dismiss(
            actor=request.user, idea_id=comment.idea_id, comment_id=pk, reason=data["reason"]
        ),
        title=_("Dismiss the flags on this comment"),
        intro=_("The comment stays as it is; its open flags are closed."),
        submit=_("Dismiss flags"),
        success=_("The flags are dismissed."),
        back_url=reverse("staff:moderation"),
        idea=comment.idea,
        comment=comment,
    )

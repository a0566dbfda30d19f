"""Comments, replies and official responses on an idea."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.core.exceptions import NotAllowed
from community.core.http import (
    handles_domain_errors,
)
from ideas import permissions as idea_permissions
from ideas import services
from ideas.exceptions import NearCopyWarning
from ideas.forms import (
    CommentEditForm,
    CommentForm,
)
from ideas.models import Comment, Idea
from ideas.views.detail import render_detail


@require_POST
@login_required
@handles_domain_errors
def comment_create(request, pk: int):
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render_detail(request, pk, status=400, comment_form=form)
    data = form.cleaned_data
    try:
        comment = services.comment_create(
            author=request.user,
            idea_id=pk,
            body=data["body"],
            parent_id=data["parent"],
            official=data["official"],
            near_copy_acknowledged=data["near_copy_acknowledged"],
        )
    except NearCopyWarning as warning:
        return render(
            request,
            "ideas/official_response_confirm.html",
            {
                "idea": get_object_or_404(Idea, pk=pk),
                "form": form,
                "near_copy": warning.near_copy,
                "earlier": Comment.objects.select_related("author", "idea").get(
                    pk=warning.near_copy.response.pk
                ),
            },
            status=409,
        )
    messages.success(
        request,
        _("Your official response is posted.") if comment.is_official else _("Comment posted."),
    )
    if data["next"]:
        return redirect(data["next"])
    return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")


@login_required
@handles_domain_errors
def comment_edit(request, pk: int):
    comment = get_object_or_404(Comment.objects.select_related("idea"), pk=pk)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        services.comment_update(editor=request.user, comment_id=pk, body=form.cleaned_data["body"])
        messages.success(request, _("Comment updated."))
        return redirect(f"{comment.idea.get_absolute_url()}#comment-{pk}")
    if not idea_permissions.can_edit_comment(request.user, comment, timezone.now()):
        raise NotAllowed(_("You can edit your comment only for a short while after posting."))
    status = 400 if form.is_bound else 200
    return render(
        request, "ideas/comment_form.html", {"form": form, "comment": comment}, status=status
    )


@require_POST
@login_required
@handles_domain_errors
def comment_delete(request, pk: int):
    comment = services.comment_delete(actor=request.user, comment_id=pk)
    messages.success(request, _("Comment removed."))
    return redirect("ideas:detail_by_id", pk=comment.idea_id)

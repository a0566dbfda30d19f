"""Members flag ideas and comments that break the guidelines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community.core.http import handles_domain_errors
from community.moderation import services as moderation
from community.moderation.forms import (
    FlagForm,
)
from community.moderation.views.shared import (
    get_comment,
    get_idea,
)
from ideas import permissions
from ideas.exceptions import CommentNotFound, IdeaNotFound
from ideas.models import Comment, Idea

# --- Flagging (members) -------------------------------------------------------------


@login_required
@handles_domain_errors
def flag_idea(request, pk: int):
    idea = get_idea(pk)
    if not permissions.can_view_idea(request.user, idea):
        raise IdeaNotFound()
    return _flag(request, idea=idea, comment=None)


@login_required
@handles_domain_errors
def flag_comment(request, pk: int):
    comment = get_comment(pk)
    if not permissions.can_view_idea(request.user, comment.idea):
        raise CommentNotFound()
    return _flag(request, idea=comment.idea, comment=comment)


def _flag(request, *, idea: Idea, comment: Comment | None):
    back = idea.get_absolute_url() + (f"#comment-{comment.pk}" if comment else "")
    form = FlagForm(request.POST or None)
    # Say why before someone fills in a form they cannot send, and before quoting
    # what is no longer shown (a hidden comment's text is not for every member).
    moderation.flag_allowed(request.user, idea=idea, comment=comment)
    if request.method == "POST" and form.is_valid():
        moderation.flag_create(
            reporter=request.user,
            idea_id=idea.pk,
            comment_id=comment.pk if comment else None,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
        )
        messages.success(request, _("Thank you. A moderator will look at it."))
        return redirect(back)
    return render(
        request,
        "community/moderation/flag_form.html",
        {"form": form, "idea": idea, "comment": comment, "back_url": back},
        status=400 if form.is_bound else 200,
    )

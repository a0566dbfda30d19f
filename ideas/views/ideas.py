"""Writing ideas: share, edit, withdraw, vote, follow, and (staff) change the status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import permissions
from community.core.exceptions import InvalidInput, NotAllowed
from community.core.http import (
    error_response,
    first_error,
    handles_domain_errors,
    is_htmx,
    login_then_back,
)
from community.core.ids import parse_id
from community.core.redirects import next_from
from ideas import permissions as idea_permissions
from ideas import selectors, services
from ideas.exceptions import IdeaNotFound
from ideas.forms import (
    FollowForm,
    IdeaForm,
    StatusChangeForm,
    VoteForm,
)
from ideas.models import Idea
from ideas.services.rules import require_session_open
from ideas.views.detail import render_detail


@login_required
@handles_domain_errors
def idea_create(request):
    session = _storm_session(
        request.POST.get("session") or request.GET.get("session"), viewer=request.user
    )
    # Say so before someone writes an idea the session will refuse.
    require_session_open(session, timezone.now())
    initial = {"category": session.product_area_id} if session else {}
    form = IdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea = services.idea_create(
            author=request.user,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            tags=data["tags"],
            storm_session=session,
        )
        messages.success(request, _("Your idea is published. You are following it."))
        return redirect(idea)
    if permissions.is_suspended(request.user):
        messages.warning(request, _("Your account is suspended: you can read but not post ideas."))
    elif not permissions.can_participate(request.user):
        messages.warning(request, _("Please confirm your email address before posting an idea."))
    status = 400 if form.is_bound else 200
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "idea": None, "storm_session": session},
        status=status,
    )


def _storm_session(session_id: str | None, *, viewer):
    """The live Storm Session an idea is being shared into, or None."""
    if not session_id:
        return None
    pk = parse_id(session_id)
    session = selectors.storm_session_live(pk=pk, viewer=viewer) if pk else None
    if session is None:
        raise InvalidInput(_("That Storm Session does not exist."))
    return session


@login_required
@handles_domain_errors
def idea_edit(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    if not idea_permissions.can_edit_idea(request.user, idea, timezone.now()):
        raise NotAllowed(
            _(
                "You can edit your idea only for a short while after posting, "
                "and not after staff have answered it."
            )
        )
    initial = {
        "title": idea.title,
        "body": idea.body,
        "category": idea.category,
        "tags": ", ".join(idea.tags.names()),
    }
    form = IdeaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea = services.idea_update(
            editor=request.user,
            idea_id=idea.pk,
            title=data["title"],
            body=data["body"],
            category=data["category"],
            tags=data["tags"],
        )
        messages.success(request, _("Your changes are saved."))
        return redirect(idea)
    status = 400 if form.is_bound else 200
    return render(request, "ideas/idea_form.html", {"form": form, "idea": idea}, status=status)


@require_POST
@login_required
@handles_domain_errors
def idea_withdraw(request, pk: int):
    services.idea_withdraw(author=request.user, idea_id=pk)
    messages.success(request, _("Your idea was withdrawn. It is no longer shown to anyone."))
    return redirect("ideas:list")


@require_POST
@handles_domain_errors
def idea_vote(request, pk: int):
    idea = Idea.objects.visible_to(request.user).filter(pk=pk).only("pk", "slug").first()
    if idea is None:
        raise IdeaNotFound()
    if not request.user.is_authenticated:
        return login_then_back(request, idea.get_absolute_url())
    form = VoteForm(request.POST)
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=idea.get_absolute_url())
    services.vote_cast(voter=request.user, idea_id=pk, value=form.cleaned_data["value"])
    if is_htmx(request):
        idea = selectors.idea_list(viewer=request.user, now=timezone.now()).get(pk=pk)
        return render(request, "ideas/includes/_vote_widget.html", {"idea": idea})
    return redirect(idea)


@require_POST
@login_required
@handles_domain_errors
def idea_follow(request, pk: int):
    form = FollowForm(request.POST)
    if not form.is_valid():
        return error_response(request, _("Choose follow or unfollow."))
    following = services.follow_set(
        user=request.user, idea_id=pk, following=form.cleaned_data["following"]
    )
    messages.success(
        request,
        _("You are following this idea.") if following else _("You no longer follow this idea."),
    )
    return redirect("ideas:detail_by_id", pk=pk)


@require_POST
@login_required
@handles_domain_errors
def idea_status_change(request, pk: int):
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        if not permissions.can_change_status(request.user):
            raise NotAllowed(_("Only staff can change an idea's status."))
        return render_detail(request, pk, status=400, status_form=form)
    event = services.idea_status_change(
        actor=request.user,
        idea_id=pk,
        to_status=form.cleaned_data["status"],
        message=form.cleaned_data["message"],
    )
    messages.success(
        request,
        _("Status changed to %(get_to_status_display)s.")
        % {"get_to_status_display": event.get_to_status_display().lower()},
    )
    return redirect(next_from(request, reverse("ideas:detail_by_id", kwargs={"pk": pk})))

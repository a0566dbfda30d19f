"""Thin views: parse input with a form, call one service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cms.selectors import stories_about
from community.moderation_selectors import idea_moderation
from ideas import permissions, selectors, services
from ideas.exceptions import IdeaNotFound, InvalidInput, NearCopyWarning, NotAllowed
from ideas.forms import (
    CommentEditForm,
    CommentForm,
    FollowForm,
    IdeaForm,
    IdeaListForm,
    StatusChangeForm,
    VoteForm,
)
from ideas.http import error_response, handles_domain_errors, is_htmx, login_then_back
from ideas.models import Category, Comment, Idea, Status
from realtime.api import idea_events_after, idea_last_seq
from search.api import related_ideas


def _first_error(form) -> str:
    return next(iter(form.errors.values()))[0]


@require_GET
def idea_list(request):
    form = IdeaListForm(request.GET)
    if not form.is_valid():
        return error_response(request, _first_error(form), back_url=request.path)
    params = form.cleaned_data
    sort = params["sort"] or "hot"
    ideas = selectors.idea_list(
        viewer=request.user,
        sort=sort,
        period=params["period"] or "all",
        category=params["category"],
        status=params["status"] or None,
        tag=params["tag"] or None,
        now=timezone.now(),
    )
    # The count depends on the filters and who is looking, not on the sort.
    count_key = "ideas:count:" + ":".join(
        str(part)
        for part in (
            permissions.is_staff(request.user),
            params["category"] and params["category"].pk,
            params["status"],
            params["tag"],
            params["period"] if sort == "top" else "all",
        )
    )
    try:
        page = selectors.paginate(
            ideas,
            page_number=params["page"] or 1,
            per_page=settings.IDEAS_PER_PAGE,
            count_key=count_key,
        )
    except EmptyPage:
        return error_response(
            request, "That page is past the end of the list.", status=404, back_url=request.path
        )
    return render(
        request,
        "ideas/idea_list.html",
        {
            "page_obj": page,
            "ideas": page.object_list,
            "sort": sort,
            "period": params["period"] or "all",
            "filters": params,
            "categories": Category.objects.all(),
            "statuses": Status.choices,
            "periods": [
                ("week", "This week"),
                ("month", "This month"),
                ("year", "This year"),
                ("all", "All time"),
            ],
            "query_without_page": _query_prefix(request, "page"),
            "query_without_sort": _query_prefix(request, "page", "sort", "period"),
            "query_without_period": _query_prefix(request, "page", "period"),
        },
    )


def _query_prefix(request, *names: str) -> str:
    """The current query string without `names`, ready for one more parameter."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    encoded = query.urlencode()
    return f"{encoded}&" if encoded else ""


def _render_detail(request, pk: int, *, status: int = 200, **forms):
    detail = selectors.idea_detail(pk=pk, viewer=request.user)
    idea = detail.idea
    now = timezone.now()
    context = {
        "detail": detail,
        "idea": idea,
        "comment_form": forms.get("comment_form") or CommentForm(),
        "status_form": forms.get("status_form")
        or StatusChangeForm(initial={"status": idea.status}),
        "can_participate": permissions.can_participate(request.user),
        "is_open": permissions.is_open_for_participation(idea),
        "can_edit": permissions.can_edit_idea(request.user, idea, now),
        "can_withdraw": permissions.can_withdraw_idea(request.user, idea),
        "is_staff": permissions.is_staff(request.user),
        "can_triage": permissions.can_triage(request.user),
        "can_respond": permissions.can_respond_officially(request.user),
        "can_change_status": permissions.can_change_status(request.user)
        and idea.status != Status.DUPLICATE,
        "related": related_ideas(
            " ".join([idea.title, *(tag.name for tag in idea.tag_list)]), exclude_id=idea.pk
        ),
        "last_seq": idea_last_seq(idea_id=idea.pk),
        "stories": list(stories_about(idea_id=idea.pk)),
        "now": now,
        # Moderation: flag links for members, actions and revisions for staff.
        "can_moderate": permissions.can_moderate(request.user),
        "can_suspend": permissions.can_suspend(request.user),
        "can_flag_idea": idea.is_published and permissions.can_flag(request.user, idea.author_id),
        "is_suspended": permissions.is_suspended(request.user),
        "moderation": idea_moderation(idea=idea, viewer=request.user),
    }
    return render(request, "ideas/idea_detail.html", context, status=status)


@require_GET
def idea_events(request, pk: int):
    """What a live page missed while offline: stored events after `after`, and the counts."""
    idea = Idea.objects.filter(pk=pk).first()
    if idea is None or not permissions.can_view_idea(request.user, idea):
        return JsonResponse(
            {"error": "That idea does not exist or is no longer available."}, status=404
        )
    try:
        after = max(0, int(request.GET.get("after", 0)))
    except ValueError:
        return JsonResponse({"error": "`after` must be a whole number."}, status=400)
    return JsonResponse(
        {
            "events": idea_events_after(idea_id=pk, after=after),
            "counts": {
                "score": idea.score,
                "promotes": idea.promotes,
                "demotes": idea.demotes,
                "supporters": idea.supporters,
            },
        }
    )


@require_GET
@handles_domain_errors
def idea_detail(request, pk: int, slug: str | None = None):
    idea = get_object_or_404(Idea.objects.only("pk", "slug", "visibility", "author_id"), pk=pk)
    if not permissions.can_view_idea(request.user, idea):
        raise Http404("No idea with that number.")
    if slug != idea.slug:
        # Old slugs (after a title edit) and bare ids land on the canonical URL.
        return redirect(idea.get_absolute_url(), permanent=True)
    return _render_detail(request, pk)


@login_required
@handles_domain_errors
def idea_create(request):
    session = _storm_session(request.POST.get("session") or request.GET.get("session"))
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
        messages.success(request, "Your idea is published. You are following it.")
        return redirect(idea)
    if permissions.is_suspended(request.user):
        messages.warning(request, "Your account is suspended: you can read but not post ideas.")
    elif not permissions.can_participate(request.user):
        messages.warning(request, "Please confirm your email address before posting an idea.")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "idea": None, "storm_session": session},
        status=status,
    )


def _storm_session(session_id: str | None):
    """The live Storm Session an idea is being shared into, or None."""
    if not session_id:
        return None
    from cms.models import StormSessionPage

    try:
        session = StormSessionPage.objects.live().filter(pk=int(session_id)).first()
    except ValueError:
        session = None
    if session is None:
        raise InvalidInput("That Storm Session does not exist.")
    return session


@login_required
@handles_domain_errors
def idea_edit(request, pk: int):
    idea = get_object_or_404(Idea, pk=pk)
    if not permissions.can_edit_idea(request.user, idea, timezone.now()):
        raise NotAllowed(
            "You can edit your idea only for a short while after posting, "
            "and not after staff have answered it."
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
        messages.success(request, "Your changes are saved.")
        return redirect(idea)
    status = 400 if form.is_bound else 200
    return render(request, "ideas/idea_form.html", {"form": form, "idea": idea}, status=status)


@require_POST
@login_required
@handles_domain_errors
def idea_withdraw(request, pk: int):
    services.idea_withdraw(author=request.user, idea_id=pk)
    messages.success(request, "Your idea was withdrawn. It is no longer shown to anyone.")
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
        return error_response(request, _first_error(form), back_url=idea.get_absolute_url())
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
        return error_response(request, "Choose follow or unfollow.")
    following = services.follow_set(
        user=request.user, idea_id=pk, following=form.cleaned_data["following"]
    )
    messages.success(
        request,
        "You are following this idea." if following else "You no longer follow this idea.",
    )
    return redirect("ideas:detail_by_id", pk=pk)


@require_POST
@login_required
@handles_domain_errors
def comment_create(request, pk: int):
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, pk, status=400, comment_form=form)
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
        request, "Your official response is posted." if comment.is_official else "Comment posted."
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
        messages.success(request, "Comment updated.")
        return redirect(f"{comment.idea.get_absolute_url()}#comment-{pk}")
    if not permissions.can_edit_comment(request.user, comment, timezone.now()):
        raise NotAllowed("You can edit your comment only for a short while after posting.")
    status = 400 if form.is_bound else 200
    return render(
        request, "ideas/comment_form.html", {"form": form, "comment": comment}, status=status
    )


@require_POST
@login_required
@handles_domain_errors
def comment_delete(request, pk: int):
    comment = services.comment_delete(actor=request.user, comment_id=pk)
    messages.success(request, "Comment removed.")
    return redirect("ideas:detail_by_id", pk=comment.idea_id)


@require_POST
@login_required
@handles_domain_errors
def idea_status_change(request, pk: int):
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        if not permissions.can_change_status(request.user):
            raise NotAllowed("Only staff can change an idea's status.")
        return _render_detail(request, pk, status=400, status_form=form)
    event = services.idea_status_change(
        actor=request.user,
        idea_id=pk,
        to_status=form.cleaned_data["status"],
        message=form.cleaned_data["message"],
    )
    messages.success(request, f"Status changed to {event.get_to_status_display().lower()}.")
    back = request.POST.get("next", "")
    if back.startswith("/staff/"):
        return redirect(back)
    return redirect("ideas:detail_by_id", pk=pk)


@require_GET
def shipped(request):
    try:
        page = selectors.paginate(
            selectors.shipped_ideas(viewer=request.user),
            page_number=int(request.GET.get("page", 1)),
            per_page=settings.IDEAS_PER_PAGE,
        )
    except (ValueError, EmptyPage):
        return error_response(request, "That page does not exist.", status=404)
    return render(request, "ideas/idea_shipped.html", {"page_obj": page, "ideas": page.object_list})

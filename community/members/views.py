from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community.core.http import handles_domain_errors
from community.members.forms import AccountDeleteForm, ProfileForm
from community.members.selectors import (
    member_activity,
    member_by_username,
    member_data_export,
    member_profile,
)
from community.members.services import member_account_delete, member_profile_update
from ideas.services import follow_set


@require_GET
def member_detail(request, username: str):
    member = member_by_username(username)
    if member is None:
        raise Http404("No member with that name.")
    return render(
        request,
        "community/members/member_detail.html",
        member_profile(member=member, viewer=request.user),
    )


@login_required
@handles_domain_errors
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member_profile_update(
            member=request.user,
            handle=data["handle"],
            display_name=data["display_name"],
            bio=data["bio"],
            avatar=data["avatar"],
        )
        messages.success(request, "Your profile is saved.")
        return redirect("member_detail", username=request.user.username)
    status = 400 if form.is_bound else 200
    return render(request, "community/members/profile_form.html", {"form": form}, status=status)


@login_required
@require_GET
def activity(request):
    return render(
        request,
        "community/members/activity.html",
        member_activity(member=request.user),
    )


@login_required
@require_POST
@handles_domain_errors
def activity_unfollow(request, pk: int):
    follow_set(user=request.user, idea_id=pk, following=False)
    messages.success(request, "You no longer follow that idea.")
    return redirect("member_activity")


@login_required
@require_GET
def data_export(request):
    data = member_data_export(member=request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = (
        f'attachment; filename="idealoop-data-{request.user.username}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@handles_domain_errors
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, member=request.user)
    if request.method == "POST" and form.is_valid():
        member_account_delete(
            member=request.user,
            remove_content=form.cleaned_data["content"] == "remove",
            staff_confirmed=form.cleaned_data.get("staff_confirmed", False),
        )
        logout(request)
        messages.success(request, "Your account is deleted. Thank you for your ideas.")
        return redirect("/")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "community/members/account_delete.html",
        {"form": form, "is_staff": request.user.is_staff_member},
        status=status,
    )

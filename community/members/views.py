from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from community.core.http import handles_domain_errors
from community.members.forms import ProfileForm
from community.members.selectors import member_by_username, member_profile
from community.members.services import member_profile_update


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

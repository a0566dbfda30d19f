from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from community.core.http import error_response, handles_domain_errors
from community.core.redirects import safe_next
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


@require_GET
def staff_sign_in(request):
    """The admin sign-in pages send people to the one rate-limited sign-in (allauth's).

    Wagtail's and Django's own login forms have no limit on wrong passwords; allauth
    counts failures per address and per account in the shared cache.
    """
    target = safe_next(request.GET.get("next"), default=request.path.rsplit("login/", 1)[0])
    if request.user.is_authenticated:
        # Signed in already, so the admin sent them here for want of a permission:
        # sending them back would loop.
        return error_response(
            request,
            "Your account cannot use this part of the site. "
            "An administrator can give your role access to it.",
            status=403,
        )
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@require_GET
def staff_password_reset(request):
    """Password resets go through allauth's form, which limits how often it mails."""
    return redirect("account_reset_password")

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from community.core.http import error_response, handles_domain_errors
from community.core.redirects import safe_next
from community.members.forms import AccountDeleteForm, ProfileForm
from community.members.selectors import (
    member_activity,
    member_by_username,
    member_data_export,
    member_profile,
)
from community.members.services import (
    member_account_delete,
    member_language_set,
    member_profile_update,
)
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
        messages.success(request, _("Your profile is saved."))
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
    messages.success(request, _("You no longer follow that idea."))
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
        messages.success(request, _("Your account is deleted. Thank you for your ideas."))
        return redirect("/")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "community/members/account_delete.html",
        {"form": form, "is_staff": request.user.is_staff_member},
        status=status,
    )


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
            _(
                "Your account cannot use this part of the site. "
                "An administrator can give your role access to it."
            ),
            status=403,
        )
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


@require_GET
def staff_password_reset(request):
    """Password resets go through allauth's form, which limits how often it mails."""
    return redirect("account_reset_password")


@require_POST
def language_set(request):
    """The footer's language switcher: Django's own, and a signed-in member's choice
    is kept on the account, so their emails are written in it too."""
    response = set_language(request)
    if request.user.is_authenticated:
        member_language_set(member=request.user, language=request.POST.get("language", ""))
    return response

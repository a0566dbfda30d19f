"""The member's API tokens page: create (the secret is shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.api import errors, services
from community.api.forms import TokenForm
from community.core.http import handles_domain_errors
from community.permissions import is_staff


@login_required
@handles_domain_errors
def token_list(request):
    form = TokenForm(request.POST or None, staff=is_staff(request.user))
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            new_token = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
            form = TokenForm(staff=is_staff(request.user))
        else:
            status = 400
    response = render(
        request,
        "api/token_list.html",
        {"form": form, "tokens": services.tokens_of(request.user), "new_token": new_token},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the new secret is shown once, never cached
    return response


@require_POST
@login_required
@handles_domain_errors
def token_revoke(request, pk: int):
    token = services.token_revoke(user=request.user, token_id=pk)
    messages.success(
        request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name}
    )
    return redirect("api:tokens")


@csrf_exempt  # it changes nothing; a write to a wrong path is a 404, not a CSRF page
def api_not_found(request, path: str = ""):
    """Anything under /api/ that is no operation: the API's error body, not a page."""
    return JsonResponse(errors.body(404, "There is no such API path."), status=404)

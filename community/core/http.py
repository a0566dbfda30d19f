"""Turning domain errors and bad input into clear responses, never a 500."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import render

from community.core.exceptions import DomainError


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def first_error(form) -> str:
    """The first message of an invalid form, for a one-line answer."""
    return next(iter(form.errors.values()))[0]


def error_response(request, message: str, *, status: int = 400, back_url: str | None = None):
    """The error as a full page, or as a fragment htmx shows in the page's alert area."""
    if is_htmx(request):
        response = render(request, "components/_alert.html", {"message": message}, status=status)
        response["HX-Retarget"] = "#alerts"
        response["HX-Reswap"] = "innerHTML"
        return response
    return render(
        request,
        "errors/domain_error.html",
        {"message": message, "back_url": back_url, "status": status},
        status=status,
    )


def handles_domain_errors(view):
    """Answer a DomainError from a service with its message and status code."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return error_response(
                request, error.message, status=error.status_code, back_url=request.path
            )

    return wrapper


def login_then_back(request, back_url: str) -> HttpResponse:
    """Send an anonymous visitor to sign in and then back to where they were."""
    response = redirect_to_login(back_url)
    if is_htmx(request):
        redirect = HttpResponse(status=204)
        redirect["HX-Redirect"] = response["Location"]
        return redirect
    return response


def requires(check, message: str):
    """Let the view run only for a signed-in member who passes `check`; others get 403.

    The one permission decorator for staff views; services check again before writing.
    """

    def decorator(view):
        view = handles_domain_errors(view)

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return login_then_back(request, request.get_full_path())
            if not check(request.user):
                return error_response(request, message, status=403, back_url=request.path)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

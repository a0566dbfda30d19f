"""The one rule for where a "next" parameter may send someone: a path on this site.

Django's `url_has_allowed_host_and_scheme` refuses other hosts, schemes and the
tricks browsers read as another host (`//evil`, `/\\evil`, control characters);
we also insist on a path, so a full URL to this host is refused too.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def is_safe_next(target: str | None) -> bool:
    return bool(
        target
        and target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=False)
    )


def safe_next(target: str | None, default: str = "") -> str:
    """`target` when it is a path on this site, else `default`."""
    return target if is_safe_next(target) else default


def next_from(request, default: str) -> str:
    """Where to go after a form post: the request's safe `next`, else `default`."""
    return safe_next(request.POST.get("next") or request.GET.get("next"), default)

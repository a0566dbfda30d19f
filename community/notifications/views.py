from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.core.redirects import safe_next
from community.notifications import kinds, selectors, services
from community.notifications.forms import EmailPreferencesForm
from community.notifications.tokens import BadLink, unsubscribe_read


@login_required
@require_GET
def notification_list(request):
    items = selectors.notifications_for(request.user)[:100]
    return render(
        request, "community/notifications/notification_list.html", {"notifications": items}
    )


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark a notification read and go where it points (always a path on this site)."""
    item = selectors.notifications_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such notification.")
    services.notifications_mark_read(user=request.user, notification_id=pk)
    return redirect(safe_next(item.url, "/notifications/"))


@login_required
@require_POST
def notifications_read(request):
    marked = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext(
            "Marked %(marked)s notification as read.",
            "Marked %(marked)s notifications as read.",
            marked,
        )
        % {"marked": marked},
    )
    return redirect("notification_list")


@login_required
@require_GET
def notifications_unread(request):
    return JsonResponse({"unread": selectors.unread_count(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """How each kind of notification reaches the member by email."""
    chosen = selectors.email_preferences_of(request.user)
    form = EmailPreferencesForm(request.POST or None, user=request.user, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        services.email_preferences_set(user=request.user, choices=form.cleaned_data)
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notification_preferences")
    status = 400 if form.errors else 200
    return render(
        request,
        "community/notifications/preferences.html",
        {"form": form, "email": request.user.email},
        status=status,
    )


@csrf_exempt  # RFC 8058: mail providers POST without a session; the signed token is the check
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe from a kind of email, without signing in.

    GET (the link in the body) asks to confirm, so a link scanner changes
    nothing; POST (the button, or the mail client's List-Unsubscribe-Post)
    turns the kind off.
    """
    try:
        link = unsubscribe_read(token)
    except BadLink as exc:
        return render(
            request,
            "community/notifications/unsubscribe_invalid.html",
            {"problem": str(exc), "expired": exc.expired},
            status=400,
        )
    context = {"kind_label": kinds.label(link.kind), "token": token}
    if request.method == "POST":
        context["done"] = services.email_unsubscribe(link=link)
        context["turned_off"] = [kinds.DESCRIPTIONS[kind] for kind in context["done"]]
    return render(request, "community/notifications/unsubscribe.html", context)

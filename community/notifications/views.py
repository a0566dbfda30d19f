from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from community.core.redirects import safe_next
from community.notifications import selectors, services


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
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    return redirect("notification_list")


@login_required
@require_GET
def notifications_unread(request):
    return JsonResponse({"unread": selectors.unread_count(request.user)})

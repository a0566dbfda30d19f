from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from community import notifications
from community.forms import ProfileForm
from community.health import DOWN, site_health
from community.selectors import member_profile
from ideas.selectors import member_by_username


@never_cache
@require_GET
def healthz(request):
    report = site_health()
    return JsonResponse(report, status=503 if report["status"] == DOWN else 200)


@require_GET
def member_detail(request, username: str):
    member = member_by_username(username)
    if member is None:
        raise Http404("No member with that name.")
    return render(
        request, "community/member_detail.html", member_profile(member=member, viewer=request.user)
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("member_detail", username=request.user.username)
    status = 400 if form.is_bound else 200
    return render(request, "community/profile_form.html", {"form": form}, status=status)


@login_required
@require_GET
def notification_list(request):
    items = notifications.notifications_for(request.user)[:100]
    return render(request, "community/notification_list.html", {"notifications": items})


@login_required
@require_POST
def notification_open(request, pk: int):
    """Mark a notification read and go where it points."""
    item = notifications.notifications_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404("No such notification.")
    notifications.notifications_mark_read(user=request.user, notification_id=pk)
    return redirect(item.url)


@login_required
@require_POST
def notifications_read(request):
    marked = notifications.notifications_mark_read(user=request.user)
    messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    return redirect("notification_list")


@login_required
@require_GET
def notifications_unread(request):
    return JsonResponse({"unread": notifications.unread_count(request.user)})

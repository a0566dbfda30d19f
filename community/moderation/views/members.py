"""Suspending members, hiding their content, and the audit log."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import EmptyPage
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from community.core.http import error_response
from community.moderation import selectors as moderation_selectors
from community.moderation import services as moderation
from community.moderation.forms import (
    AuditFilterForm,
    OptionalReasonForm,
    ReasonForm,
    SuspendForm,
)
from community.moderation.views.shared import (
    auditor_required,
    get_member,
    suspender_required,
)

# --- Members --------------------------------------------------------------------------


def _member_page(request, member, *, status: int = 200, **forms):
    return render(
        request,
        "community/moderation/member.html",
        {
            "record": moderation_selectors.member_record(member=member),
            "member": member,
            "suspend_form": forms.get("suspend_form") or SuspendForm(),
            "lift_form": forms.get("lift_form") or OptionalReasonForm(),
            "hide_form": forms.get("hide_form") or ReasonForm(),
        },
        status=status,
    )


@require_GET
@suspender_required
def member(request, pk: int):
    return _member_page(request, get_member(pk))


@require_POST
@suspender_required
def member_suspend(request, pk: int):
    member = get_member(pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, suspend_form=form)
    data = form.cleaned_data
    now = timezone.now()
    moderation.member_suspend(
        actor=request.user,
        member_id=pk,
        reason=data["reason"],
        ends_at=now + timedelta(days=data["days"]) if data["length"] == "days" else None,
        now=now,
    )
    messages.success(
        request, _("%(public_name)s is suspended.") % {"public_name": member.public_name}
    )
    return redirect("staff:moderation_member", pk=pk)


@require_POST
@suspender_required
def member_lift(request, pk: int):
    member = get_member(pk)
    form = OptionalReasonForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, lift_form=form)
    moderation.member_suspension_lift(
        actor=request.user, member_id=pk, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request, _("%(public_name)s can take part again.") % {"public_name": member.public_name}
    )
    return redirect("staff:moderation_member", pk=pk)


@require_POST
@suspender_required
def member_content_hide(request, pk: int):
    member = get_member(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _member_page(request, member, status=400, hide_form=form)
    hidden = moderation.member_content_hide(
        actor=request.user, member_id=pk, reason=form.cleaned_data["reason"]
    )
    messages.success(
        request,
        _("Hid %(ideas)s ideas and %(comments)s comments by %(name)s.")
        % {
            "ideas": len(hidden["ideas"]),
            "comments": len(hidden["comments"]),
            "name": member.public_name,
        },
    )
    return redirect("staff:moderation_member", pk=pk)


# --- The audit log ----------------------------------------------------------------------


@require_GET
@auditor_required
def audit_log(request):
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        return error_response(
            request,
            _("%(field)s: %(error)s") % {"field": field, "error": errors[0]},
            back_url=request.path,
        )
    data = form.cleaned_data
    try:
        page = moderation_selectors.audit_page(
            action=data["action"], actor=data["actor"], page_number=data["page"] or 1
        )
    except EmptyPage:
        return error_response(request, _("That page of the audit log does not exist."), status=404)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/moderation/audit_log.html",
        {
            "form": form,
            "page_obj": page,
            "entries": page.object_list,
            "query_without_page": f"{query.urlencode()}&" if query else "",
        },
    )

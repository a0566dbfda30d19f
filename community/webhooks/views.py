"""The staff area's webhook pages (Administrators only): endpoints, their secret
(shown once), switching them on and off, and the delivery log with Redeliver."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community.core.http import requires
from community.permissions import can_manage_webhooks
from community.webhooks import selectors, services
from community.webhooks.forms import EndpointForm
from community.webhooks.models import DeliveryState

administrators_only = requires(
    can_manage_webhooks, gettext_lazy("Only administrators manage webhook endpoints.")
)


def _endpoint_or_404(pk: int):
    endpoint = selectors.endpoint_get(pk)
    if endpoint is None:
        raise Http404(_("There is no such webhook endpoint."))
    return endpoint


def _no_store(response):
    response["Cache-Control"] = "no-store"  # a secret may be on the page
    return response


@require_GET
@administrators_only
def endpoint_list(request):
    return render(
        request,
        "community/webhooks/endpoint_list.html",
        {"endpoints": selectors.endpoints_with_figures()},
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def endpoint_create(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = services.endpoint_create(actor=request.user, **form.cleaned_data)
        return _no_store(
            render(
                request,
                "community/webhooks/endpoint_secret.html",
                {"endpoint": endpoint, "created": True},
            )
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "community/webhooks/endpoint_form.html",
        {"form": form, "endpoint": None},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def endpoint_edit(request, pk: int):
    endpoint = _endpoint_or_404(pk)
    form = EndpointForm(request.POST or None, instance=endpoint)
    if request.method == "POST" and form.is_valid():
        services.endpoint_update(actor=request.user, endpoint_id=pk, **form.cleaned_data)
        messages.success(request, _("“%(name)s” is saved.") % {"name": endpoint.name})
        return redirect("staff:webhook", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "community/webhooks/endpoint_form.html",
        {"form": form, "endpoint": endpoint},
        status=status,
    )


@require_GET
@administrators_only
def endpoint_detail(request, pk: int):
    endpoint = _endpoint_or_404(pk)
    state = request.GET.get("state", "")
    if state not in DeliveryState.values:
        state = ""
    page = Paginator(selectors.deliveries_of(endpoint, state=state), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "community/webhooks/endpoint_detail.html",
        {
            "endpoint": endpoint,
            "page_obj": page,
            "deliveries": page.object_list,
            "state": state,
            "states": DeliveryState.choices,
            "query_without_page": f"state={state}&" if state else "",
        },
    )


@require_POST
@administrators_only
def endpoint_switch(request, pk: int):
    on = request.POST.get("on") == "1"
    endpoint = services.endpoint_switch(actor=request.user, endpoint_id=pk, on=on)
    if on:
        message = _("“%(name)s” is switched on. Redeliver what it missed from its log.")
    else:
        message = _("“%(name)s” is switched off.")
    messages.success(request, message % {"name": endpoint.name})
    return redirect("staff:webhook", pk=pk)


@require_POST
@administrators_only
def endpoint_secret_rotate(request, pk: int):
    endpoint = services.endpoint_secret_rotate(actor=request.user, endpoint_id=pk)
    return _no_store(
        render(
            request,
            "community/webhooks/endpoint_secret.html",
            {"endpoint": endpoint, "created": False},
        )
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def endpoint_delete(request, pk: int):
    """Asks first (what goes with it: the delivery log), deletes on POST."""
    endpoint = _endpoint_or_404(pk)
    if request.method == "POST":
        services.endpoint_delete(actor=request.user, endpoint_id=pk)
        messages.success(
            request, _("“%(name)s” is deleted, with its delivery log.") % {"name": endpoint.name}
        )
        return redirect("staff:webhooks")
    return render(request, "community/webhooks/endpoint_delete.html", {"endpoint": endpoint})


@require_POST
@administrators_only
def delivery_redeliver(request, pk: int, delivery_pk: int):
    services.delivery_redeliver_by(actor=request.user, endpoint_id=pk, delivery_id=delivery_pk)
    messages.success(request, _("Queued for redelivery; its attempt appears in the log below."))
    return redirect("staff:webhook", pk=pk)

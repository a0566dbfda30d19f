"""Suspected voting rings: a moderator clears or confirms them (ideas.services.rings)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.core.http import error_response, first_error, handles_domain_errors
from community.moderation.forms import RingReviewForm
from community.moderation.views.shared import moderator_required
from ideas.services.rings import vote_ring_review


@require_POST
@moderator_required
@handles_domain_errors
def ring_review(request, pk: int):
    form = RingReviewForm(request.POST)
    back = "/staff/moderation/#rings"
    if not form.is_valid():
        return error_response(request, first_error(form), back_url=back)
    ring = vote_ring_review(
        actor=request.user,
        ring_id=pk,
        decision=form.cleaned_data["decision"],
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _("Voting ring #%(pk)s: %(get_state_display)s.")
        % {"pk": ring.pk, "get_state_display": ring.get_state_display().lower()},
    )
    return redirect(back)

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from community.models import Notification
from community.notifications.models import EmailPreference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("idea", "actor")


# The name under which a member read for a request carries their count
# (`community.members.selectors.member_for_request`).
UNREAD_LOADED = "unread_notifications_loaded"


def _unread():
    return Notification.objects.filter(read_at__isnull=True)


def unread_count(user) -> int:
    """The bell's count: as read with the member at the start of the request, if it was."""
    loaded = getattr(user, UNREAD_LOADED, None)
    if loaded is not None:
        return loaded
    return _unread().filter(user=user).count()


def unread_subquery() -> Subquery:
    """`unread_count` for each member of a query on members."""
    counted = _unread().filter(user=OuterRef("pk")).values("user").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")), 0)


def email_preferences_of(user) -> dict[str, str]:
    """The member's stored choices by kind (kinds not listed use their default)."""
    return dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))

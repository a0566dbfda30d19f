from django.db.models import QuerySet

from community.models import Notification
from community.notifications.models import EmailPreference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("idea", "actor")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_preferences_of(user) -> dict[str, str]:
    """The member's stored choices by kind (kinds not listed use their default)."""
    return dict(EmailPreference.objects.filter(user=user).values_list("kind", "frequency"))

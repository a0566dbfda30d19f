from django.db.models import QuerySet

from community.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("idea", "actor")


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

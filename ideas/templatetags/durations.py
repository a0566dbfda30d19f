"""Small formatting filters for the staff area's figures and waiting times."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def waited(duration: timedelta | float | None) -> str:
    """A waiting time as people say it: "45 min", "7 h", "3 d 4 h". Floats are days."""
    if duration is None:
        return "—"
    if not isinstance(duration, timedelta):
        duration = timedelta(days=duration)
    minutes = max(0, int(duration.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d {hours % 24} h"


@register.filter
def hours(value: float | None) -> str:
    if value is None:
        return "—"
    return waited(timedelta(hours=value))


@register.filter
def percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"

from django import template

from ideas import status_labels

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    return status_labels.label(code)


@register.filter
def status_help(code: str) -> str:
    return status_labels.help_text(code)

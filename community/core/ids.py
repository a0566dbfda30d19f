"""Numbers from the outside world: object ids and page numbers, bounded before any query.

A query with an id beyond the column's range fails inside the driver
(OverflowError on SQLite, an out-of-range error on PostgreSQL), so every form
and parser reads ids through these: a number out of range is simply not an id
of anything, and the caller answers with a clear message.
"""

from django import forms
from django.db import connection, models

PAGE_MAX = 1_000_000  # no list is that long; a larger page number is not a page


# More digits than any id or page number has; longer strings are refused before
# int() sees them (it raises ValueError past 4300 digits, and they are no id).
MAX_DIGITS = 20


def _digits(text: str) -> bool:
    """ASCII digits only ("²" and "١٢" pass `isdigit`), and not absurdly many."""
    return 0 < len(text) <= MAX_DIGITS and text.isascii() and text.isdigit()


def id_max(model: type[models.Model] | None = None) -> int:
    """The largest id the database can hold for `model` (default: a BigAutoField)."""
    internal_type = model._meta.pk.get_internal_type() if model else "BigAutoField"
    return connection.ops.integer_field_range(internal_type)[1]


def parse_id(value, *, model: type[models.Model] | None = None) -> int | None:
    """An id from a query string or a form (digits only, 1 up to the column's range), or None."""
    text = str(value).strip() if value is not None else ""
    if not _digits(text):
        return None
    number = int(text)
    return number if 1 <= number <= id_max(model) else None


def parse_page(value, *, default: int = 1) -> int | None:
    """A page number from a query string: `default` when absent, None when it is no page."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not _digits(text):
        return None
    number = int(text)
    return number if 1 <= number <= PAGE_MAX else None


class ModelIdField(forms.IntegerField):
    """A form field for the id of a `model` row: bounded to what the database can hold."""

    def __init__(self, *, model: type[models.Model] | None = None, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", id_max(model))
        super().__init__(**kwargs)
        message = "That is not the number of anything here."
        self.error_messages = {
            **self.error_messages, "invalid": message, "min_value": message, "max_value": message,
        }  # fmt: skip
        for validator in self.validators:
            validator.message = message


class PageField(forms.IntegerField):
    """A page number in a list's filter form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", PAGE_MAX)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ModelIdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id beyond the column's range before querying
    (Django's own lets the driver's OverflowError through on SQLite)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if self.to_field_name is None and parse_id(value, model=self.queryset.model) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdConverter:
    """`<id:pk>` in URL patterns: an id within the column's range, else no match (404).

    Django's `<id:pk>` takes any run of digits, and a number past the range
    made the page's query fail in the driver (a 500 on SQLite).
    """

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")  # the resolver tries the next pattern, then 404
        return number

    def to_url(self, value) -> str:
        return str(value)

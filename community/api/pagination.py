"""Cursor pagination: keyset on the list's order, so inserts never shift a page.

A cursor is the last item's sort value and id, opaque to the caller (base64
JSON), and names the order it belongs to: a cursor from one sort is refused
by another with a clear 400, never a wrong page.
"""

import base64
import binascii
import json
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import DateTimeField, IntegerField, Q, QuerySet

from community.core.exceptions import InvalidInput

BAD_CURSOR = "That cursor is not valid for this list; start again without it."


def encode(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def decode(cursor: str) -> dict:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor.encode() + b"==="))
    except (ValueError, binascii.Error, UnicodeError) as error:
        raise InvalidInput(BAD_CURSOR) from error
    if not isinstance(payload, dict):
        raise InvalidInput(BAD_CURSOR)
    return payload


def keyset_page(
    queryset: QuerySet, *, order: tuple[str, str], name: str, cursor: str | None, limit: int
) -> tuple[list, str | None]:
    """One page of `queryset` in `order` (a field then "id" or "-id", both the same way)."""
    field = order[0].lstrip("-")
    descending = order[0].startswith("-")
    try:
        model_field = queryset.model._meta.get_field(field)
    except FieldDoesNotExist:  # an annotation, such as "top" merit: a whole number
        model_field = IntegerField()
    queryset = queryset.order_by(*order)
    if cursor:
        payload = decode(cursor)
        if payload.get("o") != name or not isinstance(payload.get("i"), int):
            raise InvalidInput(BAD_CURSOR)
        try:
            value = model_field.to_python(payload.get("v"))
        except (DjangoValidationError, TypeError, ValueError) as error:
            raise InvalidInput(BAD_CURSOR) from error
        beyond = "lt" if descending else "gt"
        if value is None:
            raise InvalidInput(BAD_CURSOR)
        queryset = queryset.filter(
            Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"pk__{beyond}": payload["i"]})
        )
    items = list(queryset[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    if not more or not items:
        return items, None
    last = items[-1]
    value = getattr(last, field)
    if isinstance(model_field, DateTimeField) and isinstance(value, datetime):
        value = value.isoformat()
    return items, encode({"o": name, "v": value, "i": last.pk})

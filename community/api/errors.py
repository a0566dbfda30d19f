"""One error body for every refusal: {"error": {"code", "message", "fields"}}.

Domain errors carry their own status (community.core.exceptions); input the
schema refuses is a 400 naming the fields. Nothing a caller sends becomes a 500.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from community.core.exceptions import DomainError

CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    429: "rate_limited",
}


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, str]


class Error(Schema):
    error: ErrorDetail


def body(status: int, message: str, fields: dict | None = None) -> dict:
    return {
        "error": {"code": CODES.get(status, "error"), "message": message, "fields": fields or {}}
    }


def _field_name(loc) -> str:
    # ("body", "payload", "title") → "title"; ("query", "sort") → "sort"
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "form", "cookie"):
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in ("payload", "filters"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def install(api) -> None:
    def respond(request, status, message, fields=None):
        return api.create_response(request, body(status, message, fields), status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        return respond(request, exc.status_code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), error.get("msg", "Invalid."))
        first = next(iter(fields.items()), ("body", "Invalid input."))
        return respond(request, 400, f"{first[0]}: {first[1]}", fields)

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        return respond(request, 429, "Too many requests; slow down and try again shortly.")

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = exc.message if exc.message != "Unauthorized" else "Please authenticate."
        response = respond(request, 401, message)
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        message = exc.message
        if exc.status_code == 403 and "CSRF" in message:
            message = "The CSRF check failed: send the X-CSRFToken header with session requests."
        return respond(request, exc.status_code, message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "Not found.")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        return respond(request, 403, str(exc) or "You may not do that.")

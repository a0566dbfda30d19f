"""Domain errors. Each carries a message for the person and an HTTP status.

Every app raises these (or its own subclasses, such as `ideas.exceptions`);
`community.core.http` turns them into pages, fragments and status codes.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str):
        # Lazy texts are fixed here, in the language of the request that raised it,
        # so JSON, logs and templates all get a plain str.
        message = str(message)
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class Conflict(DomainError):
    """The thing is in a state that does not allow this (closed, merged, a near-copy)."""

    status_code = 409


class MemberNotFound(NotFound):
    def __init__(self, message: str = _("That member does not exist.")):
        super().__init__(message)


class RateLimited(DomainError):
    """Too many posts, votes or flags in the last hour (community.abuse)."""

    status_code = 429


class LooksLikeSpam(DomainError):
    """Too many links, or text the member already posted elsewhere (community.abuse)."""

    status_code = 400

"""Domain errors. Each carries a message for the person and an HTTP status."""


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class IdeaNotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "That idea does not exist or is no longer available."):
        super().__init__(message)


class IdeaClosed(DomainError):
    """The idea no longer takes votes or comments (hidden, withdrawn or merged)."""

    status_code = 409


class NearCopyWarning(DomainError):
    """An official response draft reads like an earlier one; the writer decides."""

    status_code = 409

    def __init__(self, near_copy):
        super().__init__(
            "This reply reads much like an earlier official response. "
            "Please write to this customer, or post it anyway."
        )
        self.near_copy = near_copy


class CommentNotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "That comment does not exist or was removed."):
        super().__init__(message)


class MemberNotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "That member does not exist."):
        super().__init__(message)


class RateLimited(DomainError):
    """Too many posts, votes or flags in the last hour (community.abuse)."""

    status_code = 429


class LooksLikeSpam(DomainError):
    """Too many links, or text the member already posted elsewhere (community.abuse)."""

    status_code = 400

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

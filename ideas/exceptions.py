"""The ideas domain's own errors, on top of the shared ones in community.core."""

from django.utils.translation import gettext_lazy as _

from community.core.exceptions import Conflict, NotFound


class IdeaNotFound(NotFound):
    def __init__(self, message: str = _("That idea does not exist or is no longer available.")):
        super().__init__(message)


class CommentNotFound(NotFound):
    def __init__(self, message: str = _("That comment does not exist or was removed.")):
        super().__init__(message)


class IdeaClosed(Conflict):
    """The idea no longer takes votes or comments (hidden, withdrawn, merged or locked)."""


class NearCopyWarning(Conflict):
    """An official response draft reads like an earlier one; the writer decides."""

    def __init__(self, near_copy):
        super().__init__(
            _(
                "This reply reads much like an earlier official response. "
                "Please write to this customer, or post it anyway."
            )
        )
        self.near_copy = near_copy

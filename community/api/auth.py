"""Who is calling: a personal token (Bearer), the site's own session (with CSRF), or nobody.

Each operation names the scope it needs. A token must hold that scope; a
session acts with the member's full rights. Either way the services check the
member's role and standing again: a scope only narrows what a token may ask.
"""

from django.contrib.auth.models import AnonymousUser
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, SessionAuth

from community.api.models import Scope
from community.api.services import token_authenticate
from community.core.exceptions import NotAllowed


class ScopeTooNarrow(NotAllowed):
    pass


class TokenAuth(HttpBearer):
    """`Authorization: Bearer il_…`; a wrong or revoked token is a 401, never anonymous."""

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def authenticate(self, request, token: str):
        api_token = token_authenticate(token.strip())
        if api_token is None:
            raise AuthenticationError(message="The API token is not valid or was revoked.")
        if not api_token.allows(self.scope):
            raise ScopeTooNarrow(
                f"This token has the {api_token.scope} scope; this needs {self.scope}."
            )
        request.user = api_token.user
        request.api_token = api_token
        return api_token


class Session(SessionAuth):
    """The site's own JavaScript: the session cookie, and Django's CSRF check on writes."""

    def authenticate(self, request, key):
        if request.user.is_authenticated and request.user.is_active:
            request.api_token = None
            return request.user
        return None


class _Anonymous:
    """Public reads: anyone may call them, and they see what a signed-out visitor sees."""

    def __call__(self, request):
        request.api_token = None
        if not hasattr(request, "user"):
            request.user = AnonymousUser()
        return request.user or True


def public():
    return [TokenAuth(Scope.READ), Session(), _Anonymous()]


def member(scope: str = Scope.READ):
    return [TokenAuth(scope), Session()]


READ = Scope.READ
WRITE = Scope.WRITE
STAFF = Scope.STAFF

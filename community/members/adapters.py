"""django-allauth's hooks: new members get a generated public handle, and an
invalid address from a social provider is asked again, never stored."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from community.members.handles import handle_generate


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # allauth would derive it from the email's local part, which the profile
        # address would then show to everyone.
        if not user_username(user):
            user_username(user, handle_generate())


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Social sign-in: an address the provider sent that is not a valid email is dropped.

    allauth would otherwise sign the member up with it (and store it as one of
    their addresses) whenever it is unique. Without a valid address the
    member lands on allauth's social sign-up form, which asks for one.
    """

    def is_auto_signup_allowed(self, request, sociallogin):
        if not email_addresses_clean(sociallogin):
            return False  # the sign-up form asks for an address
        return super().is_auto_signup_allowed(request, sociallogin)


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def email_addresses_clean(sociallogin) -> bool:
    """Drop the provider's invalid addresses; whether a valid one is left."""
    sociallogin.email_addresses = [
        address for address in sociallogin.email_addresses if _valid(address.email or "")
    ]
    user = sociallogin.user
    if user is not None and user.email and not _valid(user.email):
        user.email = ""
    return bool(sociallogin.email_addresses) or bool(user is not None and user.email)

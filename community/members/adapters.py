"""django-allauth's account hooks: new members get a generated public handle."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_username

from community.members.handles import handle_generate


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        # allauth would derive it from the email's local part, which the profile
        # address would then show to everyone.
        if not user_username(user):
            user_username(user, handle_generate())

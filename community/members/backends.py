"""Signing in: Django's backend (usernames, the admin's form) and allauth's (email
addresses), each reading the signed-in member of a request with what nearly every
page asks of them in the same query (`selectors.member_for_request`): their groups
(roles and audiences), the bell's count, and whether they may take part (a
verified address, no suspension). Five queries were one each."""

from allauth.account.auth_backends import AuthenticationBackend
from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from community.members.selectors import member_for_request


class _ReadsMemberForRequest:
    def get_user(self, user_id):
        user = member_for_request(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)


class PasswordBackend(_ReadsMemberForRequest, ModelBackend):
    """Django's ModelBackend: a username and password."""


class AccountBackend(_ReadsMemberForRequest, AuthenticationBackend):
    """allauth's backend: an email address and password."""

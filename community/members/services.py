"""Writes to a member's own account."""

from django.db import transaction

from community.abuse import member_lock
from community.core.exceptions import InvalidInput
from community.members.handles import handle_reveals_email
from community.models import User
from ideas.selectors import idea_ids_by_author
from search.api import ideas_changed


@transaction.atomic
def member_profile_update(
    *, member: User, display_name: str, bio: str, avatar=None, handle: str | None = None
) -> User:
    """Save the member's public handle, name, line and picture.

    Their ideas' search documents carry the author's public name, so each is
    queued for rewriting in the same transaction: a rename reaches the index.
    `avatar` is a redrawn picture to store (`members.avatars`), False to clear
    it, None to keep it. A handle must be free and must not spell the member's
    email address; the member's row is locked, and the unique index settles a race.
    """
    member_lock(member)
    if handle is not None and handle != member.username:
        if handle_reveals_email(handle, member.email):
            raise InvalidInput(
                "That handle is the first part of your email address; "
                "choose another so your address stays private."
            )
        if User.objects.filter(username__iexact=handle).exclude(pk=member.pk).exists():
            raise InvalidInput(f"The handle “{handle}” is taken; please choose another.")
        member.username = handle
    renamed = member.public_name
    member.display_name = display_name
    member.bio = bio
    if avatar is False:
        member.avatar = None
    elif avatar is not None:
        member.avatar = avatar
    member.save(update_fields=["username", "display_name", "bio", "avatar"])
    if member.public_name != renamed:
        ideas_changed(idea_ids_by_author(author_id=member.pk))
    return member

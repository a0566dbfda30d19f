"""Writes to a member's own account."""

from django.db import transaction

from community.abuse import member_lock
from community.models import User
from ideas.selectors import idea_ids_by_author
from search.api import ideas_changed


@transaction.atomic
def member_profile_update(*, member: User, display_name: str, bio: str, avatar=None) -> User:
    """Save the member's public name, line and picture.

    Their ideas' search documents carry the author's public name, so each is
    queued for rewriting in the same transaction: a rename reaches the index.
    `avatar` is an uploaded file to store, False to clear it, None to keep it.
    """
    member_lock(member)
    renamed = member.public_name
    member.display_name = display_name
    member.bio = bio
    if avatar is False:
        member.avatar = None
    elif avatar is not None:
        member.avatar = avatar
    member.save(update_fields=["display_name", "bio", "avatar"])
    if member.public_name != renamed:
        ideas_changed(idea_ids_by_author(author_id=member.pk))
    return member

"""Writes to a member's own account."""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DBSessionStore
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from community import pagecache
from community.abuse import member_lock
from community.core.exceptions import InvalidInput
from community.members.handles import handle_reveals_email
from community.models import Flag, Notification, User
from ideas import services as idea_services
from ideas.events import ideas_changed
from ideas.models import Follow
from ideas.selectors import idea_ids_by_author


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
                _(
                    "That handle is the first part of your email address; "
                    "choose another so your address stays private."
                )
            )
        if User.objects.filter(username__iexact=handle).exclude(pk=member.pk).exists():
            raise InvalidInput(
                _("The handle “%(handle)s” is taken; please choose another.") % {"handle": handle}
            )
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
    # A name, handle or picture shows beside their ideas and comments on any page.
    pagecache.site_changed()
    return member


FORMER_MEMBER_NAME = "Former member"


@transaction.atomic
def member_account_delete(
    *, member: User, remove_content: bool, staff_confirmed: bool = False, now=None
) -> dict:
    """Close the member's account for good, in one transaction.

    Their votes go and the ideas they voted on are recounted from the rows
    that remain; follows, notifications and flags they sent go; their ideas
    and comments either stay, shown as "Former member", or are removed
    (`remove_content`). The account keeps its row (ideas, answers and audit
    entries point at it) but nothing of the person: no name, email, picture,
    password or sign-in addresses. Every session and API token ends: the row is inactive
    and its password hash changed, so Django refuses the old session cookies,
    and stored sessions are deleted too. A staff account is only deleted when
    `staff_confirmed` (the page warns them first).
    """
    member_lock(member)
    member.refresh_from_db()
    if not member.is_active:
        raise InvalidInput(_("This account is already deleted."))
    if member.is_staff_member and not staff_confirmed:
        raise InvalidInput(
            _(
                "This is a staff account: confirm that you understand your staff role ends "
                "and your official responses stay."
            )
        )
    now = now or timezone.now()
    voted = idea_services.member_votes_remove(member=member)
    Follow.objects.filter(user=member).delete()
    Notification.objects.filter(user=member).delete()
    Flag.objects.filter(reporter=member).delete()
    removed = (
        idea_services.member_content_remove(member=member, now=now)
        if remove_content
        else {"ideas": 0, "comments": 0}
    )

    if member.avatar:
        member.avatar.delete(save=False)
    member.username = f"former-member-{member.pk}"
    member.email = ""
    member.first_name = member.last_name = ""
    member.display_name = FORMER_MEMBER_NAME
    member.bio = ""
    member.avatar = None
    member.is_active = False
    member.is_staff = member.is_superuser = False
    member.set_unusable_password()
    member.save()
    member.groups.clear()
    member.user_permissions.clear()
    EmailAddress.objects.filter(user=member).delete()
    SocialAccount.objects.filter(user=member).delete()
    _sessions_end(member)
    # API tokens already stop with an inactive member; revoke them as well, so
    # the token page and the audit of tokens say so (`community.api` owns them,
    # above this layer: reached through the relation, not imported).
    member.personal_api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    # Their name leaves the search documents and the stored live events.
    idea_services.member_content_renamed(member=member)
    pagecache.site_changed()
    return {"votes_removed_on": len(voted), **removed}


def _sessions_end(member: User) -> None:
    """Delete the member's stored sessions (database sessions; other engines
    refuse them anyway, as the password hash they carry no longer matches)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, DBSessionStore):
        return
    stale = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(member.pk)
    ]
    Session.objects.filter(session_key__in=stale).delete()


def member_language_set(*, member: User, language: str) -> bool:
    """Remember the language the member reads the site in; their emails are written in it."""
    if language not in {code for code, _name in settings.LANGUAGES} or member.language == language:
        return False
    User.objects.filter(pk=member.pk).update(language=language)
    member.language = language
    return True


def language_remember_at_sign_in(sender, request, user, **kwargs) -> None:
    """A member who never chose a language gets the one their browser asked for
    (`user_logged_in`): the first email then speaks it too."""
    if not user.language and request is not None:
        member_language_set(member=user, language=translation.get_language_from_request(request))

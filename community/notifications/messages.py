"""Email messages for notifications and digests: templates, absolute links, headers.

Every message threads with the idea's other emails (References and
In-Reply-To name the idea), and carries a one-click unsubscribe for its kind
(RFC 8058: List-Unsubscribe with List-Unsubscribe-Post) and the same link in
the body.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import ngettext

from community.notifications import kinds, texts
from community.notifications.tokens import unsubscribe_token

SUBJECT_PREFIX = "[Idealoop] "


def absolute(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + (path if path.startswith("/") else "/" + path)


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "idealoop.local"


def idea_thread_id(idea_id: int) -> str:
    return f"<idea-{idea_id}@{mail_domain()}>"


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return absolute(reverse("notifications_unsubscribe", kwargs={"token": token}))


def _message(*, delivery, user, subject: str, template: str, context: dict, headers: dict):
    unsubscribe = unsubscribe_url(user_id=user.pk, kind=delivery.kind)
    context |= {
        "member": user,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe,
        "kind_label": kinds.label(delivery.kind),
        "preferences_url": absolute(reverse("notification_preferences")),
    }
    text = render_to_string(f"community/notifications/email/{template}.txt", context)
    html = render_to_string(f"community/notifications/email/{template}.html", context)
    headers = headers | {
        "Message-ID": f"<delivery-{delivery.pk}@{mail_domain()}>",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "X-Idealoop-Kind": delivery.kind,
    }
    message = EmailMultiAlternatives(
        subject=SUBJECT_PREFIX + subject, body=text, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def notification_message(*, delivery, notification, extra: dict | None = None):
    idea, actor, comment = notification.idea, notification.actor, notification.comment
    thread = idea_thread_id(idea.pk) if idea else None
    context = {
        "notification": notification,
        "text": texts.shown(notification),
        "idea": idea,
        "title": idea.title if idea else texts.shown(notification),
        "idea_url": absolute(idea.get_absolute_url() if idea else notification.url),
        "url": absolute(notification.url),
        "actor": actor,
        "actor_role": (comment.author_role if comment and comment.author_role else "")
        or (actor.role if actor and actor.is_staff_member else ""),
        "comment": comment,
        **(extra or {}),
    }
    if context.get("story_url"):
        context["story_url"] = absolute(context["story_url"])
    return _message(
        delivery=delivery,
        user=notification.user,
        subject=idea.title if idea else notification.get_kind_display(),
        template="notification",
        context=context,
        headers={"In-Reply-To": thread, "References": thread} if thread else {},
    )


def digest_message(*, delivery, user, items, frequency: str) -> EmailMultiAlternatives:
    for item in items:
        item.absolute_url = absolute(item.url)
        item.shown_text = texts.shown(item)
    context = {"items": items, "frequency": frequency}
    count = len(items)
    if frequency == "daily":
        subject = ngettext(
            "Your daily digest: %(count)s update today",
            "Your daily digest: %(count)s updates today",
            count,
        )
    else:
        subject = ngettext(
            "Your weekly digest: %(count)s update this week",
            "Your weekly digest: %(count)s updates this week",
            count,
        )
    return _message(
        delivery=delivery,
        user=user,
        subject=subject % {"count": count},
        template="digest",
        context=context,
        headers={},
    )

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from community.roles import ALL_ROLES, STAFF_ROLES

# The name under which a member read for a request carries their groups' rows
# (`community.members.selectors.member_for_request`).
GROUP_ROWS_LOADED = "group_rows_loaded"


class User(AbstractUser):
    """A member of the community; staff are members with a staff role."""

    display_name = models.CharField(
        max_length=60, blank=True, help_text=_("The name shown next to your ideas and comments.")
    )
    bio = models.CharField(max_length=280, blank=True, help_text=_("A line about you."))
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # The language the member reads the site in (the switcher, else their browser's
    # at sign-in): their emails are written in it. Blank: the site's language.
    language = models.CharField(_("language"), max_length=12, blank=True)

    class Meta:
        permissions = [
            ("suspend_member", _("Can suspend members and hide their content in bulk")),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        # Never the email: the handle is generated or chosen, never derived from it.
        return self.display_name or self.username

    @cached_property
    def _group_rows(self) -> list[tuple[int, str]]:
        """The member's groups (id, name), read once for the object's life (one request):
        with the member, when they were read for a request (`member_for_request`)."""
        loaded = getattr(self, GROUP_ROWS_LOADED, None)
        if loaded is not None:
            return [(pk, name) for pk, name in loaded]
        return list(self.groups.values_list("pk", "name"))

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(name for _pk, name in self._group_rows)

    @cached_property
    def group_ids(self) -> frozenset[int]:
        """Every group the member is in: roles, and groups content is limited to."""
        return frozenset(pk for pk, _name in self._group_rows)

    @property
    def role(self) -> str:
        """The highest role a member holds, as shown beside official responses."""
        for role in reversed(ALL_ROLES):
            if role in self.role_names:
                return role
        return ALL_ROLES[0]

    @property
    def is_staff_member(self) -> bool:
        """Answers in the company's name: any staff role, or a superuser."""
        return self.is_superuser or bool(self.role_names.intersection(STAFF_ROLES))


class Notification(models.Model):
    """Something a member should hear about, stored so it survives being offline."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Reply to your comment")
        OFFICIAL_RESPONSE = "official_response", _("Official response")
        STATUS_CHANGE = "status_change", _("Status change")
        MERGED = "merged", _("Idea merged")
        STORY = "story", _("Idea in a story")
        MODERATION = "moderation", _("Moderation")
        SHIPPED = "shipped", _("Idea shipped")
        ASSIGNED = "assigned", _("Idea assigned to you")
        OVERDUE = "overdue", _("Your idea is overdue for an answer")
        STORM_SESSION = "storm_session", _("Storm Session opened or closed")

    class Email(models.TextChoices):
        """What became of the notification by email, decided once by the worker."""

        PENDING = "", "Not decided yet"
        INSTANT = "instant", _("Emailed on its own")
        DAILY = "daily", _("In the daily digest")
        WEEKLY = "weekly", _("In the weekly digest")
        OFF = "off", _("Not emailed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # None for news that is not about one idea (a Storm Session opening or closing).
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    # The same words as translatable parts, shown in each reader's language
    # (community.notifications.texts); empty on rows from before them.
    message = models.JSONField(default=list, blank=True)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # The comment it is about (a reply, an official response): checked again before emailing.
    comment = models.ForeignKey(
        "ideas.Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.CharField(max_length=10, choices=Email.choices, default="", blank=True)
    # The event it was fanned out from (community.notifications.fanout): once per member.
    event = models.ForeignKey(
        "community.NotificationEvent", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="notifications",
    )  # fmt: skip
    # The digest email that carried it; a notification is in at most one.
    digest = models.ForeignKey(
        "community.EmailDelivery", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="digest_items",
    )  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(
                fields=["created_at"], condition=models.Q(email=""), name="notification_email_todo"
            ),
            models.Index(
                fields=["email", "user"],
                condition=models.Q(digest__isnull=True, email__in=["daily", "weekly"]),
                name="notification_digest_todo",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="notification_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"


class Suspension(models.Model):
    """A member who may read but not post, vote or flag, for a time or for good."""

    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="suspensions")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text=_("Empty: for good."))
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Suspension of {self.member_id}"


class AuditEntry(models.Model):
    """One staff or moderator action: who, what, when, and the before and after."""

    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["-created_at"], name="audit_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.target_label} by {self.actor_id}"


# Moderation's own models live with the feature; importing them here registers
# them with this app (label "community", tables unchanged).
from community.configuration.models import CommunitySettings  # noqa: E402, F401
from community.moderation.models import Flag  # noqa: E402, F401
from community.notifications.models import (  # noqa: E402, F401
    EmailDelivery,
    EmailPreference,
    NotificationEvent,
)

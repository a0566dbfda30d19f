from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property

from community.roles import ALL_ROLES, STAFF_ROLES


class User(AbstractUser):
    """A member of the community; staff are members with a staff role."""

    display_name = models.CharField(
        max_length=60, blank=True, help_text="The name shown next to your ideas and comments."
    )
    bio = models.CharField(max_length=280, blank=True, help_text="A line about you.")
    avatar = models.ImageField(upload_to="avatars/", blank=True)

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username or self.email.split("@")[0]

    @cached_property
    def role_names(self) -> frozenset[str]:
        return frozenset(group.name for group in self.groups.all())

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

    @cached_property
    def has_verified_email(self) -> bool:
        return self.emailaddress_set.filter(verified=True).exists()


class Notification(models.Model):
    """Something a member should hear about, stored so it survives being offline."""

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply to your comment"
        OFFICIAL_RESPONSE = "official_response", "Official response"
        STATUS_CHANGE = "status_change", "Status change"
        MERGED = "merged", "Idea merged"
        STORY = "story", "Idea in a story"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"

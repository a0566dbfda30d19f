from django.contrib.auth.models import AbstractUser
from django.db import models

from community.roles import ALL_ROLES, STAFF_ROLES


class User(AbstractUser):
    """A member of the community; staff are members with a staff role."""

    display_name = models.CharField(
        max_length=60, blank=True, help_text="The name shown next to your ideas and comments."
    )

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        return self.display_name or self.username or self.email.split("@")[0]

    @property
    def role(self) -> str:
        """The highest role a member holds, as shown beside official responses."""
        names = {group.name for group in self.groups.all()}
        for role in reversed(ALL_ROLES):
            if role in names:
                return role
        return ALL_ROLES[0]

    @property
    def is_staff_member(self) -> bool:
        names = {group.name for group in self.groups.all()}
        return self.is_superuser or bool(names.intersection(STAFF_ROLES))

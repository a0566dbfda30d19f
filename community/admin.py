"""Django admin registrations of the community app's feature packages."""

from community.notifications import admin as notifications_admin  # noqa: F401

"""Demo accounts for the embedded site: one person per role, known passwords.

Only the `load_demo` command uses this; it is idempotent.
"""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from community import roles

DEMO_PASSWORD = "idealoop-demo"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str


DEMO_ACCOUNTS = [
    DemoAccount("customer@example.com", "Alex Rivera", roles.MEMBER),
    DemoAccount("responder@example.com", "Sam Patel", roles.STAFF_RESPONDER),
    DemoAccount("product@example.com", "Jordan Lee", roles.PRODUCT_MANAGER),
    DemoAccount("moderator@example.com", "Maria Gomez", roles.COMMUNITY_MANAGER),
    DemoAccount("admin@example.com", "Chris Admin", roles.ADMINISTRATOR),
]


@transaction.atomic
def demo_accounts_ensure() -> list[DemoAccount]:
    """Create (or reset) each demo account with a verified email and its role."""
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(
            email=account.email, defaults={"username": slugify(account.display_name)}
        )
        user.display_name = account.display_name
        user.is_staff = account.role == roles.ADMINISTRATOR
        user.is_superuser = account.role == roles.ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([roles.role_group(account.role)])
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
    return DEMO_ACCOUNTS

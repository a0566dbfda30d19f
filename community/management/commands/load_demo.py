from django.core.management.base import BaseCommand
from django.test import override_settings

from cms.demo import demo_pages_ensure
from cms.services import home_page_ensure
from community.demo import DEMO_PASSWORD, demo_accounts_ensure
from community.models import User
from community.sites import site_record_sync
from ideas.demo.load import demo_ideas_ensure


class Command(BaseCommand):
    help = "Load demo data for the embedded site (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="URL to print.")

    def handle(self, *args, url: str, **options):
        # The demo's history notifies its made-up members; nobody should get those emails.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            self.load(url)

    def load(self, url: str) -> None:
        home_page_ensure()
        site_record_sync()
        accounts = demo_accounts_ensure()
        staff = list(
            User.objects.filter(
                # The people who answer and decide: responders and product managers.
                email__in=["responder@example.com", "product@example.com"]
            )
        )
        created = demo_ideas_ensure(
            customer=User.objects.get(email="customer@example.com"), staff=staff
        )
        if created:
            self.stdout.write(f"Created {created} demo ideas with votes, comments and answers.")
        demo_pages_ensure()
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"\n  Site:   {url}\n  Editor: {url}admin/\n")
        self.stdout.write(f"\n  Demo accounts (password for all: {DEMO_PASSWORD})")
        for account in accounts:
            self.stdout.write(f"    {account.role:<18} {account.email:<24} {account.display_name}")
        self.stdout.write("")

from django.core.management.base import BaseCommand

from community.webhooks.tasks import deliveries_retry_due


class Command(BaseCommand):
    help = "Attempt the webhook deliveries whose retry is due (run it every minute)."

    def handle(self, *args, **options):
        attempted = deliveries_retry_due()
        self.stdout.write(f"{attempted} webhook deliveries attempted.")

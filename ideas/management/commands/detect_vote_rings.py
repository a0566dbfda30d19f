"""Look for voting rings among every idea's recent votes (a scheduler runs this too)."""

from django.core.management.base import BaseCommand

from ideas.services.rings import vote_rings_detect


class Command(BaseCommand):
    help = "Record suspected voting rings and discount their votes in triage and the top sort."

    def handle(self, *args, **options):
        rings = vote_rings_detect()
        self.stdout.write(f"{len(rings)} new suspected voting ring(s).")

from django.core.management.base import BaseCommand

from ideas.services import idea_counters_repair


class Command(BaseCommand):
    help = "Check ideas' vote and comment counters against their rows; --fix repairs drift."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair the counters found wrong.")

    def handle(self, *args, fix: bool, **options):
        drifts = idea_counters_repair(fix=fix)
        for drift in drifts:
            changed = {
                name: f"{drift.stored[name]} → {drift.actual[name]}"
                for name in drift.actual
                if drift.stored[name] != drift.actual[name]
            }
            self.stdout.write(f"idea #{drift.idea_id}: {changed}")
        if not drifts:
            self.stdout.write(self.style.SUCCESS("All idea counters match their rows."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Repaired {len(drifts)} idea(s)."))
        else:
            self.stdout.write(self.style.WARNING(f"{len(drifts)} idea(s) drifted; run with --fix."))
            raise SystemExit(1)

import time

from django.core.management.base import BaseCommand, CommandError

from search import indexing
from search.client import is_configured


class Command(BaseCommand):
    help = "Manage the idea search index: rebuild, status, sync, reconcile."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="Build a new index and swap the alias to it.")
        rebuild.add_argument("--batch-size", type=int, default=indexing.BATCH_SIZE)
        sub.add_parser("status", help="Documents in the index against ideas in the database.")
        sub.add_parser("sync", help="Apply the queued (outbox) updates now.")
        reconcile = sub.add_parser("reconcile", help="Find documents that drifted; --fix repairs.")
        reconcile.add_argument("--fix", action="store_true")

    def handle(self, *args, action: str, **options):
        if not is_configured():
            raise CommandError("ELASTICSEARCH_URL is not set: search runs on the database.")
        getattr(self, f"_{action}")(**options)

    def _rebuild(self, batch_size: int, **options):
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if done == total or done % (batch_size * 20) == 0:
                rate = done / max(time.perf_counter() - started, 1e-6)
                self.stdout.write(f"  {done:,}/{total:,} ideas ({rate:,.0f} docs/s)")

        report = indexing.rebuild(batch_size=batch_size, progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {report.documents:,} ideas into {report.index} in {elapsed:.1f} s "
                f"({report.documents / max(elapsed, 1e-6):,.0f} docs/s); alias swapped"
                + (f", removed {', '.join(report.removed)}" if report.removed else "")
            )
        )

    def _status(self, **options):
        status = indexing.status()
        self.stdout.write(f"alias:     {status.alias} → {', '.join(status.indices) or '(none)'}")
        self.stdout.write(f"documents: {status.documents:,}")
        self.stdout.write(f"database:  {status.database:,} ideas")
        self.stdout.write(f"queued:    {status.pending:,} updates waiting in the outbox")

    def _sync(self, **options):
        self.stdout.write(f"Synced {indexing.sync_pending():,} documents.")

    def _reconcile(self, fix: bool, **options):
        drifted = indexing.reconcile(fix=fix)
        if not drifted:
            self.stdout.write(self.style.SUCCESS("The index matches the database."))
        elif fix:
            self.stdout.write(self.style.SUCCESS(f"Repaired {len(drifted):,} documents."))
        else:
            self.stdout.write(self.style.WARNING(f"{len(drifted):,} documents drifted; use --fix."))
            raise SystemExit(1)

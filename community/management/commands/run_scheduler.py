"""The periodic jobs that run beside the workers: sweeps, overdue notices, Storm Session
open and close notices, digests, the listening report's figures.

    manage.py run_scheduler            # loop forever (one per deployment is enough)
    manage.py run_scheduler --once     # one pass, e.g. from cron

Each pass queues work for the `db_worker` processes; every job is idempotent
(digests are keyed by member and period, overdue notices by idea, Storm
Session notices by session and phase, swept work is sent at most once), so
a second scheduler or a restart does no harm.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from cms.services import storm_session_notices_send
from community.notifications.delivery import digest_period
from community.notifications.models import Frequency
from community.notifications.tasks import digests_send, outbox_sweep
from community.webhooks.tasks import deliveries_stale_queue
from ideas.listening.selectors import listening_report_due
from ideas.listening.tasks import listening_report_refresh
from ideas.triage.services import overdue_notify
from search import api as search

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic jobs: outbox sweep, overdue notices, Storm Session notices, "
        "digests, the listening report."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="Seconds between passes (default 60)."
        )

    def handle(self, *, once: bool, interval: float, **options):
        done: dict[str, str] = {}
        while True:
            close_old_connections()
            try:
                self.stdout.write(str(self.run_pass(done)))
            except Exception:  # a database blip must not end the scheduler
                logger.exception("Scheduler pass failed; trying again next interval")
            if once:
                return
            time.sleep(interval)

    def run_pass(self, done: dict[str, str]) -> dict:
        now = timezone.now()
        report = {
            "swept": outbox_sweep(),
            "webhooks_swept": deliveries_stale_queue(),
            "overdue_notices": overdue_notify(now=now),
            "storm_session_notices": len(storm_session_notices_send(now=now)),
        }
        if listening_report_due(now=now):
            listening_report_refresh.enqueue()
            report["listening_report"] = "queued"
        if search.pending_updates_waiting():
            search.sync_queue()
            report["search_sync"] = "queued"
        if now.hour >= settings.DIGEST_HOUR:
            for frequency in (Frequency.DAILY, Frequency.WEEKLY):
                if frequency == Frequency.WEEKLY and now.weekday() != settings.DIGEST_WEEKDAY:
                    continue
                period = digest_period(frequency, now)
                if done.get(frequency) != period:
                    digests_send.enqueue(frequency=frequency)
                    done[frequency] = period
                    report[f"{frequency}_digests"] = period
        return report

"""Benchmark closing the loop at scale: a status change on an idea many people follow.

Prints two figures (`make bench-email`, also part of `make bench`):

1. the status-change request's time, p50/p95 over --changes requests, on an
   idea with 100 followers and on one with --followers (10,000): the request
   stores one event and one task row, so the two must match (target: p95
   under 50 ms);
2. the time from one status change on the big idea until the SMTP server
   accepted the last of its emails, with --workers (2) `manage.py db_worker`
   processes (target: under 60 s for 10,000).

Needs the database task queue (TASKS_BACKEND=database), PostgreSQL and the
SMTP server scripts/testenv.py starts (IDEALOOP_MAILDIR). The workers are
started before the change, so their start-up is not counted.
"""

import os
import time
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from community.core.bench import Workers, percentiles, require_task_queue
from community.models import Notification, User
from community.notifications.models import EmailDelivery, NotificationEvent
from ideas import services
from ideas.models import Category, Follow, Idea

STATUSES = ["under_review", "planned"]  # back and forth, a decision every other time


class Command(BaseCommand):
    help = "Time a status change on an idea with many followers, and its emails' delivery."

    def add_arguments(self, parser):
        parser.add_argument("--followers", type=int, default=10_000)
        parser.add_argument("--changes", type=int, default=20)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--timeout", type=float, default=300.0)

    def handle(self, *args, followers: int, changes: int, workers: int, timeout: float, **_):
        require_task_queue()
        maildir = os.environ.get("IDEALOOP_MAILDIR")
        if not maildir or not settings.EMAIL_HOST:
            raise CommandError("Run it under scripts/testenv.py, which starts the SMTP server.")
        self._clear_queue()
        staff = self._staff()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(staff)

        self.stdout.write(f"\nStatus change request ({changes} changes, no worker running)")
        self.stdout.write(f"{'followers':>10} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for count in (100, followers):
            idea = self._idea_with_followers(count)
            timings, queries = self._time_changes(client, idea, changes)
            p50, p95 = percentiles(timings)
            self.stdout.write(f"{count:>10,} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
        self._clear_queue()  # the changes above are not the delivery measured below

        self.stdout.write(f"\nEmail delivery: one status change, {workers} db_worker processes")
        box = Path(maildir)
        self._clear_maildir(box)
        procs = Workers(workers, name="bench-email")
        try:
            time.sleep(3)  # let them connect and start polling
            started = time.perf_counter()
            response = client.post(
                f"/ideas/{idea.pk}/status/",
                {"status": self._next_status(idea), "message": "Delivery benchmark."},
            )
            assert response.status_code == 302, response.status_code
            request_ms = (time.perf_counter() - started) * 1000
            expected = Follow.objects.filter(idea=idea).exclude(user=staff).count()
            marks, deadline = {}, started + timeout
            while (got := self._count(box)) < expected and time.perf_counter() < deadline:
                for share in (0.01, 0.5):
                    if got >= expected * share and share not in marks:
                        marks[share] = time.perf_counter() - started
                time.sleep(0.25)
            elapsed = time.perf_counter() - started
        finally:
            cpu = procs.stop()
        sent = EmailDelivery.objects.filter(state="sent", notification__idea=idea).count()
        self.stdout.write(f"request: {request_ms:.1f} ms")
        if 0.01 in marks:
            self.stdout.write(f"first 1% of emails accepted after {marks[0.01]:.1f} s")
        self.stdout.write(
            f"{got:,} of {expected:,} emails accepted by the SMTP server in {elapsed:.1f} s "
            f"({got / elapsed:,.0f}/s); {sent:,} deliveries marked sent"
        )
        self.stdout.write(
            f"worker CPU: {cpu:.1f} s for {got:,} emails ({cpu * 1000 / max(got, 1):.1f} ms each, "
            f"both workers together; load average {os.getloadavg()[0]:.1f})"
        )
        if got < expected:
            raise CommandError(f"Only {got} of {expected} emails arrived within {timeout:.0f} s.")

    # --- set-up -------------------------------------------------------------------------

    def _staff(self):
        staff, _ = User.objects.get_or_create(
            username="bench_email_staff", defaults={"email": "bench-staff@example.com"}
        )
        staff.is_superuser = True
        staff.save()
        EmailAddress.objects.get_or_create(
            user=staff, email=staff.email, defaults={"verified": True, "primary": True}
        )
        return staff

    def _idea_with_followers(self, count: int) -> Idea:
        prefix = f"bench_email_{count}_"
        author = User.objects.filter(username=f"{prefix}0").first()
        if author is None:
            members = User.objects.bulk_create(
                [
                    User(username=f"{prefix}{n}", email=f"{prefix}{n}@example.com", password="!")
                    for n in range(count)
                ],
                batch_size=2000,
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members],
                batch_size=2000,
            )
            author = members[0]
        idea = services.idea_create(
            author=author,
            title=f"An idea {count:,} people follow",
            body=f"Everyone wants this (run {time.time():.0f}, {count} followers).",
            category=Category.objects.get_or_create(slug="bench", defaults={"name": "Bench"})[0],
        )
        members = User.objects.filter(username__startswith=prefix).values_list("pk", flat=True)
        Follow.objects.bulk_create(
            [Follow(idea=idea, user_id=pk) for pk in members],
            batch_size=2000,
            ignore_conflicts=True,
        )
        return idea

    def _next_status(self, idea: Idea) -> str:
        idea.refresh_from_db(fields=["status"])
        return STATUSES[1] if idea.status == STATUSES[0] else STATUSES[0]

    def _time_changes(self, client: Client, idea: Idea, changes: int):
        from django.test.utils import CaptureQueriesContext

        timings, queries = [], 0
        for _ in range(changes + 1):  # the first warms up
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.post(
                    f"/ideas/{idea.pk}/status/",
                    {"status": self._next_status(idea), "message": "Benchmark."},
                )
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
            queries = len(captured.captured_queries)
        return timings[1:], queries

    def _clear_queue(self) -> None:
        DBTaskResult.objects.all().delete()
        NotificationEvent.objects.all().delete()
        Notification.objects.filter(user__username__startswith="bench_email_").delete()

    def _clear_maildir(self, box: Path) -> None:
        for sub in ("new", "cur", "tmp"):
            for path in (box / sub).glob("*") if (box / sub).exists() else ():
                path.unlink()

    def _count(self, box: Path) -> int:
        try:
            return len(os.listdir(box / "new"))
        except FileNotFoundError:
            return 0

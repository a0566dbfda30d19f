"""Benchmark the public listening report and roadmap at scale (`make bench`).

Reuses the community `bench_ideas` loads (100,000 ideas, 1,000,000 votes) and
gives it what the report counts, once: staff answers, one status event per
idea that left "new", and listening ratings. Then prints:

- the report's computation from the rows (a cache miss; the scheduler's
  refresh, so no request pays it in a running site), median of three;
- `/listening/`, `/roadmap/` and `/roadmap/?area=…` p50/p95 server time and
  queries through Django's full request stack (target: p95 under 50 ms), and
  the roadmap when every request follows a change (its shared board drawn anew);
- the roadmap's status-change feed.

The pages are drawn for every request (the page cache off): `bench_ideas` times
what anonymous visitors get from it.
"""

import statistics
import time
from datetime import timedelta

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.cache import generation_next
from community.core import bench
from community.models import User
from ideas.events import SHOWN_IDEAS
from ideas.listening import selectors as listening
from ideas.listening.models import ListeningRating
from ideas.management.benchmark import community_ready, settle_database
from ideas.models import Idea, StatusEvent


class Command(BaseCommand):
    help = "Time the listening report and the roadmap at 100,000 ideas."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=100_000)
        parser.add_argument("--votes", type=int, default=1_000_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--seed", type=int, default=11)

    def handle(self, *args, ideas: int, votes: int, members: int, requests: int, seed: int, **_):
        bench.require_postgresql()
        community_ready(ideas=ideas, votes=votes, members=members, seed=seed, say=self.stdout.write)
        if not StatusEvent.objects.exists():
            self._add_listening_history()
            settle_database()
        self.stdout.write(
            f"\nListening report and roadmap: {Idea.objects.count():,} ideas, "
            f"{StatusEvent.objects.count():,} status events, "
            f"{ListeningRating.objects.count():,} ratings"
        )

        computed = []
        for _ in range(3):
            started = time.perf_counter()
            listening.compute_report(now=timezone.now())
            computed.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"report computed from the rows (cache miss, the scheduler's refresh): "
            f"{statistics.median(computed):,.0f} ms"
        )

        cache.clear()
        with override_settings(PAGE_CACHE_SECONDS=0):
            self._measure(requests)

    def _measure(self, requests: int) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        scenarios = {
            "/listening/": ("/listening/", False),
            "/roadmap/": ("/roadmap/", False),
            "/roadmap/ just after a change": ("/roadmap/", True),
            "/roadmap/?area=area-3": ("/roadmap/?area=area-3", False),
            "/roadmap/feed/rss/": ("/roadmap/feed/rss/", False),
        }
        self.stdout.write(bench.timing_header("page"))
        for name, (path, changed) in scenarios.items():
            client.get(path)  # warm up (and fill the report's cache, as the scheduler does)
            timings, queries = [], 0
            for _ in range(requests):
                if changed:  # a status changed: the shared board is drawn again
                    generation_next(SHOWN_IDEAS)
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(path)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{name}: HTTP {response.status_code}")
                queries = max(queries, len(captured.captured_queries))
            self.stdout.write(bench.timing_row(name, timings, queries))

    def _add_listening_history(self) -> None:
        """Answers, decisions and ratings as a busy year leaves them, written in SQL."""
        staff, _ = User.objects.get_or_create(
            username="bench_listening_staff", defaults={"email": "bench-listening@example.com"}
        )
        now = timezone.now()
        self.stdout.write("Adding staff answers, status events and ratings…")
        with connection.cursor() as cursor:
            # Most ideas get a first answer within days; what left "new" changed status once.
            cursor.execute(
                "UPDATE ideas_idea SET first_staff_response_at = created_at"
                " + (random() * 200 || ' hours')::interval"
                " WHERE status <> 'new' OR random() < 0.5"
            )
            cursor.execute(
                "UPDATE ideas_idea SET status_changed_at = LEAST(%s, created_at"
                " + (random() * 60 || ' days')::interval) WHERE status <> 'new'",
                [now],
            )
            cursor.execute(
                "INSERT INTO ideas_statusevent (idea_id, actor_id, from_status, to_status,"
                " message, created_at)"
                " SELECT id, %s, 'new', status, 'Benchmark decision.', status_changed_at"
                " FROM ideas_idea WHERE status <> 'new'",
                [staff.pk],
            )
            # A rating from the author of one answered idea in five, in the last year.
            cursor.execute(
                "INSERT INTO ideas_listeningrating"
                " (idea_id, rater_id, stage, score, comment, created_at, rated_at)"
                " SELECT id, author_id, 'answered', floor(random() * 11)::int, '',"
                " first_staff_response_at, first_staff_response_at FROM ideas_idea"
                " WHERE first_staff_response_at IS NOT NULL AND random() < 0.2"
                " AND first_staff_response_at > %s",
                [now - timedelta(days=365)],
            )

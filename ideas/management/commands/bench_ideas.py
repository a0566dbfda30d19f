"""Benchmark the idea pages on PostgreSQL with a large community.

Loads N ideas and M votes (once; a second run reuses them), then serves the
idea list (each sort), the idea page and vote POSTs through Django's full
request stack, and prints p50/p95 server time and queries per request.
Run it with `make bench`, which starts a throwaway PostgreSQL.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.models import User
from ideas.management.benchmark import load_community, percentiles, settle_database
from ideas.models import Comment, Idea


class Command(BaseCommand):
    help = "Load a large community into PostgreSQL and print idea page timings."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=100_000)
        parser.add_argument("--votes", type=int, default=1_000_000)
        parser.add_argument("--members", type=int, default=20_000)
        parser.add_argument("--requests", type=int, default=200, help="Requests per scenario.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--explain", action="store_true", help="Print each query's plan time too."
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark needs PostgreSQL: set DATABASE_URL (make bench does)."
            )
        rng = random.Random(options["seed"])
        if Idea.objects.count() < options["ideas"]:
            started = time.perf_counter()
            load_community(
                rng=rng,
                n_ideas=options["ideas"],
                n_votes=options["votes"],
                n_members=options["members"],
                say=self.stdout.write,
            )
            self.stdout.write(f"Loaded data in {time.perf_counter() - started:.1f} s")
        self.stdout.write(
            f"Ideas: {Idea.objects.count():,}  votes: {self._vote_count():,}  "
            f"comments: {Comment.objects.count():,}"
        )
        settle_database()
        self._measure(rng, options["requests"], explain=options["explain"])

    # --- data ---------------------------------------------------------------

    def _vote_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM votes")
            return cursor.fetchone()[0]

    # --- measurement --------------------------------------------------------

    def _measure(self, rng: random.Random, requests: int, *, explain: bool = False) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        members = list(
            User.objects.filter(username__startswith="bench").values_list("pk", flat=True)[:2000]
        )
        idea_ids = list(Idea.objects.values_list("pk", flat=True).order_by("?")[:requests])
        scenarios = {
            f"list sort={sort}": (lambda sort=sort: client.get(f"/ideas/?sort={sort}"))
            for sort in ["hot", "top", "new", "discussed", "active"]
        }
        scenarios["list sort=top period=month"] = lambda: client.get(
            "/ideas/?sort=top&period=month"
        )
        scenarios["list page 50 (new)"] = lambda: client.get("/ideas/?sort=new&page=50")
        scenarios["list category filter"] = lambda: client.get("/ideas/?category=area-3&sort=top")
        scenarios["idea page"] = lambda: client.get(f"/ideas/{rng.choice(idea_ids)}/", follow=True)

        def vote():
            client.force_login(User(pk=rng.choice(members)))
            return client.post(
                f"/ideas/{rng.choice(idea_ids)}/vote/", {"value": rng.choice(["1", "-1", "0"])}
            )

        scenarios["vote POST"] = vote

        self.stdout.write(f"\n{'scenario':<30} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for name, request in scenarios.items():
            request()  # warm up
            timings, queries = [], []
            for _ in range(requests):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = request()
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code not in (200, 302):
                    raise CommandError(f"{name}: HTTP {response.status_code}")
                queries.append(len(captured.captured_queries))
            p50, p95 = percentiles(timings)
            self.stdout.write(f"{name:<30} {p50:>8.1f} {p95:>8.1f} {max(queries):>8}")
            if explain:
                self._explain(captured.captured_queries)

    def _explain(self, captured: list[dict]) -> None:
        with connection.cursor() as cursor:
            for query in captured:
                if not query["sql"].startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
                self.stdout.write(f"    {plan[-1].strip():<28} {query['sql'][:90]}")

"""Benchmark the idea pages on PostgreSQL with a large community.

Loads N ideas and M votes (once; a second run reuses them), then serves the
idea list (each sort), the idea page and vote POSTs through Django's full
request stack, and prints p50/p95 server time and queries per request: first
as drawn (the page cache off), then as anonymous visitors get them from the
shared page cache (and a member served that copy with their own votes), and
a list drawn again just after each vote.
Run it with `make bench`, which starts a throwaway PostgreSQL.
"""

import random
import time

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from community import pagecache
from community.core import bench
from community.models import User
from ideas import services
from ideas.management.benchmark import add_community_arguments, community_ready
from ideas.models import Comment, Idea


class Command(BaseCommand):
    help = "Load a large community into PostgreSQL and print idea page timings."

    def add_arguments(self, parser):
        add_community_arguments(parser)
        parser.add_argument(
            "--explain", action="store_true", help="Print each query's plan time too."
        )

    def handle(self, *args, **options):
        bench.require_postgresql()
        rng = community_ready(**options, say=self.stdout.write)
        self.stdout.write(
            f"Ideas: {Idea.objects.count():,}  votes: {self._vote_count():,}  "
            f"comments: {Comment.objects.count():,}"
        )
        with override_settings(PAGE_CACHE_SECONDS=0):  # every request drawn
            self._measure(rng, options["requests"], explain=options["explain"])
        self._measure_cached(rng, options["requests"])

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
        reader = Client(HTTP_HOST="127.0.0.1")
        reader.force_login(User.objects.get(pk=members[0]))
        scenarios["member list sort=hot"] = lambda: reader.get("/ideas/?sort=hot")

        def vote():
            client.force_login(User(pk=rng.choice(members)))
            return client.post(
                f"/ideas/{rng.choice(idea_ids)}/vote/", {"value": rng.choice(["1", "-1", "0"])}
            )

        scenarios["vote POST"] = vote

        self.stdout.write("\n" + bench.timing_header())
        for name, request in scenarios.items():
            timings, queries, captured = bench.time_requests(
                request, requests, ok=(200, 302), name=name
            )
            self.stdout.write(bench.timing_row(name, timings, queries))
            if explain:
                self._explain(captured)

    def _measure_cached(self, rng: random.Random, requests: int) -> None:
        """Anonymous visitors from the page cache: every request after the first per URL
        is a hit (0 queries); and the list just after a vote, which drew it again."""
        cache.clear()
        visitor = Client(HTTP_HOST="127.0.0.1")
        ideas = list(Idea.objects.published().order_by("?")[: max(requests // 4, 1)])
        idea_urls = [idea.get_absolute_url() for idea in ideas]
        for url in idea_urls:
            visitor.get(url)  # each idea page drawn once, as the first visitor does
        scenarios = {
            f"cached list sort={sort}": (lambda sort=sort: visitor.get(f"/ideas/?sort={sort}"))
            for sort in ["hot", "top", "new"]
        }
        scenarios["cached list page 50 (new)"] = lambda: visitor.get("/ideas/?sort=new&page=50")
        scenarios["cached list category filter"] = lambda: visitor.get(
            "/ideas/?category=area-3&sort=top"
        )
        scenarios["cached idea page"] = lambda: visitor.get(rng.choice(idea_urls))
        scenarios["cached /roadmap/"] = lambda: visitor.get("/roadmap/")
        scenarios["cached /listening/"] = lambda: visitor.get("/listening/")
        # A member gets the visitors' copy with their votes and header filled in.
        reader = Client(HTTP_HOST="127.0.0.1")
        reader.force_login(User.objects.filter(username__startswith="bench").first())
        scenarios["member, cached list sort=hot"] = lambda: reader.get("/ideas/?sort=hot")
        # ... and the idea page with what they may do on it (their own ideas drawn for them).
        scenarios["member, cached idea page"] = lambda: reader.get(rng.choice(idea_urls))
        self.stdout.write("\n" + bench.timing_header("anonymous, page cache"))
        for name, request in scenarios.items():
            timings, queries, _ = bench.time_requests(request, requests, name=name)
            hits = sum(request().headers.get(pagecache.HEADER) == "hit" for _ in range(10))
            self.stdout.write(bench.timing_row(name, timings, queries) + f"  hits {hits}/10")

        members = list(User.objects.filter(username__startswith="bench")[:requests])
        timings, queries = [], 0
        for voter in members:
            if not services.vote_cast(voter=voter, idea_id=ideas[0].pk, value=1).changed:
                services.vote_cast(voter=voter, idea_id=ideas[0].pk, value=0)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = visitor.get("/ideas/?sort=hot")
                timings.append((time.perf_counter() - started) * 1000)
            if response.headers.get(pagecache.HEADER) != "miss":
                raise CommandError("the list was not drawn again after a vote")
            queries = max(queries, len(captured.captured_queries))
        self.stdout.write(bench.timing_row("list just after a vote (miss)", timings, queries))

    def _explain(self, captured: list[dict]) -> None:
        with connection.cursor() as cursor:
            for query in captured:
                if not query["sql"].startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                plan = [row[0] for row in cursor.fetchall()]
                self.stdout.write(f"    {plan[-1].strip():<28} {query['sql'][:90]}")

"""Benchmark the API's idea list and detail on PostgreSQL with a large community.

Reuses the community `bench_ideas` loads (100,000 ideas and 1,000,000 votes by
default; loaded here if it is not there yet), then serves `/api/v1/ideas`
(each sort, a later cursor page, a product area, with a token) and
`/api/v1/ideas/{id}` (and its 304) through Django's full request stack, and
prints p50/p95 server time and queries per request (target: p95 under 30 ms).
Run it with `make bench` or `make bench-api`, which start a throwaway PostgreSQL.
"""

import random

from django.core.management.base import BaseCommand, CommandError
from django.test import Client, override_settings

from community.api import services as api_services
from community.core import bench
from community.models import User
from ideas.management.benchmark import add_community_arguments, community_ready
from ideas.models import Category, Idea

UNLIMITED = {"read": (10**9, 60), "write": (10**9, 60)}  # still counted, never refused


class Command(BaseCommand):
    help = "Load a large community into PostgreSQL and print API list and detail timings."

    def add_arguments(self, parser):
        add_community_arguments(parser)

    def handle(self, *args, **options):
        bench.require_postgresql()
        rng = community_ready(**options, say=self.stdout.write)
        self.stdout.write(f"\nAPI (/api/v1/), {Idea.objects.count():,} ideas")
        with override_settings(API_RATE_LIMITS=UNLIMITED):
            self._measure(rng, options["requests"])

    def _measure(self, rng: random.Random, requests: int) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        reader = User.objects.filter(username__startswith="bench").order_by("pk").first()
        if reader is None:
            raise CommandError("No bench members: load the community first.")
        token = api_services.token_create(user=reader, name="bench", scope="read").secret
        idea_ids = list(Idea.objects.values_list("pk", flat=True).order_by("?")[:requests])
        area = Category.objects.filter(slug__startswith="area-").order_by("pk").first()
        second_page = client.get("/api/v1/ideas?sort=new").json()["next_cursor"]
        etags = {}

        def detail():
            pk = rng.choice(idea_ids)
            response = client.get(f"/api/v1/ideas/{pk}")
            etags[pk] = response.headers.get("ETag")
            return response

        def detail_not_modified():
            pk = rng.choice(list(etags))
            return client.get(f"/api/v1/ideas/{pk}", HTTP_IF_NONE_MATCH=etags[pk])

        scenarios = {
            f"list sort={sort}": (lambda sort=sort: client.get(f"/api/v1/ideas?sort={sort}"))
            for sort in ["hot", "top", "new", "discussed", "active"]
        }
        scenarios["list page 2 (cursor, new)"] = lambda: client.get(
            f"/api/v1/ideas?sort=new&cursor={second_page}"
        )
        scenarios["list limit=100"] = lambda: client.get("/api/v1/ideas?sort=top&limit=100")
        if area is not None:
            scenarios["list product area"] = lambda: client.get(
                f"/api/v1/ideas?sort=top&product_area={area.slug}"
            )
        scenarios["list with a token"] = lambda: client.get(
            "/api/v1/ideas?sort=hot", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        scenarios["detail"] = detail
        scenarios["detail 304 (If-None-Match)"] = detail_not_modified

        self.stdout.write(bench.timing_header())
        all_timings = {"list (20 a page)": [], "detail": []}
        for name, request in scenarios.items():
            timings, queries, _ = bench.time_requests(request, requests, ok=(200, 304), name=name)
            if name != "list limit=100":  # the target is for a page of the default size
                all_timings["detail" if name.startswith("detail") else "list (20 a page)"] += (
                    timings
                )
            self.stdout.write(bench.timing_row(name, timings, queries))
        for kind, timings in all_timings.items():
            p95 = bench.percentiles(timings)[1]
            verdict = "met" if p95 < 30 else "NOT met"
            self.stdout.write(
                f"{bench.timing_row(f'all {kind}', timings)}   (target p95 < 30 ms: {verdict})"
            )

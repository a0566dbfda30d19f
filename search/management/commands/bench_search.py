"""Benchmark search: index a large community, then time searches through the site.

Prints the bulk indexing rate, the rebuild time and p50/p95 server time of
typical searches served by /search/. Run it with `make bench`, which starts
throwaway PostgreSQL and Elasticsearch servers.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from community.core.bench import percentiles, time_calls
from ideas.management.benchmark import add_community_arguments, community_ready
from search import api, indexing
from search.client import is_configured
from search.forms import SearchForm

QUERIES = {
    "one word": "battery",
    "two words": "usb-c charger",
    "typo": "keybaord",
    "phrase-like": "dark mode for the app",
    "filtered": "screen&category=area-3",
    "sorted by score": "laptop&sort=score",
    "browse (no words)": "",
    "page 5": "fan&page=5",
}


class Command(BaseCommand):
    help = "Index a large community into Elasticsearch and print search timings."

    def add_arguments(self, parser):
        add_community_arguments(parser, requests_help="Requests per query.")

    def handle(self, *args, **options):
        if not is_configured():
            raise CommandError("Set ELASTICSEARCH_URL (make bench does).")
        community_ready(**options, say=self.stdout.write)

        started = time.perf_counter()
        report = indexing.rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Rebuild: {report.documents:,} ideas in {elapsed:.1f} s "
            f"({report.documents / elapsed:,.0f} docs/s, including the alias swap and reconcile)"
        )

        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write(f"\n{'search':<22} {'p50 ms':>8} {'p95 ms':>8} {'results':>9}")
        everything = []
        for name, query in QUERIES.items():
            url = f"/search/?q={query}"
            if client.get(url).status_code != 200:
                raise CommandError(f"{name}: the search page failed")
            results = api.search_ideas(self._request(url))
            if results.backend != "elasticsearch":
                raise CommandError(f"{name}: not answered by Elasticsearch")
            timings = time_calls(lambda url=url: client.get(url), options["requests"])
            everything += timings
            p50, p95 = percentiles(timings)
            total = results.total
            self.stdout.write(f"{name:<22} {p50:>8.1f} {p95:>8.1f} {total:>9,}")
        similar = time_calls(
            lambda: client.get("/search/similar/?title=Longer battery life on the laptop"),
            options["requests"],
        )
        p50, p95 = percentiles(similar)
        self.stdout.write(f"{'similar (new idea)':<22} {p50:>8.1f} {p95:>8.1f}")
        p50, p95 = percentiles(everything)
        self.stdout.write(f"{'all searches':<22} {p50:>8.1f} {p95:>8.1f}")

    @staticmethod
    def _request(url: str):
        """The SearchRequest the page builds for this URL, to ask the API directly."""
        from django.http import QueryDict

        form = SearchForm(QueryDict(url.split("?", 1)[1]))
        if not form.is_valid():
            raise CommandError(f"{url}: {form.errors}")
        return form.to_request(staff=False, audience=frozenset())

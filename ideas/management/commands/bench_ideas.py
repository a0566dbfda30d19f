"""Benchmark the idea pages on PostgreSQL with a large community.

Loads N ideas and M votes (once; a second run reuses them), then serves the
idea list (each sort), the idea page and vote POSTs through Django's full
request stack, and prints p50/p95 server time and queries per request.
Run it with `make bench`, which starts a throwaway PostgreSQL.
"""

import random
import statistics
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import User
from ideas.markdown import render_markdown
from ideas.models import Category, Comment, Idea
from ideas.ranking import hot_rank

BATCH = 5_000
BODY = "We would like this because it saves time every day.\n\n- faster\n- simpler"


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
            self._load(rng, options["ideas"], options["votes"], options["members"])
            self.stdout.write(f"Loaded data in {time.perf_counter() - started:.1f} s")
        self.stdout.write(
            f"Ideas: {Idea.objects.count():,}  votes: {self._vote_count():,}  "
            f"comments: {Comment.objects.count():,}"
        )
        # A settled database, as autovacuum leaves it: statistics and visibility map.
        connection.cursor().execute("VACUUM ANALYZE")
        self._measure(rng, options["requests"], explain=options["explain"])

    # --- data ---------------------------------------------------------------

    def _vote_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM votes")
            return cursor.fetchone()[0]

    def _load(self, rng: random.Random, n_ideas: int, n_votes: int, n_members: int) -> None:
        now = timezone.now()
        categories = [
            Category.objects.get_or_create(slug=f"area-{n}", defaults={"name": f"Area {n}"})[0]
            for n in range(8)
        ]
        self.stdout.write(f"Creating {n_members:,} members…")
        members = User.objects.bulk_create(
            [
                User(username=f"bench{n}", email=f"bench{n}@example.com", password="!")
                for n in range(n_members)
            ],
            batch_size=BATCH,
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=m, email=m.email, verified=True, primary=True) for m in members],
            batch_size=BATCH,
        )
        member_ids = [m.pk for m in members]
        body_html = render_markdown(BODY)
        idea_type = ContentType.objects.get_for_model(Idea).pk
        # Long-tailed popularity: each idea's share of the votes, scaled so the
        # total is exactly n_votes.
        weights = [rng.expovariate(1.0) for _ in range(n_ideas)]
        scale = n_votes / sum(weights)
        vote_counts = [min(len(member_ids), round(w * scale)) for w in weights]
        vote_counts[0] += n_votes - sum(vote_counts)

        self.stdout.write(f"Creating {n_ideas:,} ideas and about {n_votes:,} votes…")
        for start in range(0, n_ideas, BATCH):
            ideas, plans = [], []
            for n in range(start, min(start + BATCH, n_ideas)):
                created = now - timedelta(minutes=rng.uniform(0, 3 * 365 * 24 * 60))
                voters = rng.sample(member_ids, max(0, min(len(member_ids), vote_counts[n])))
                values = [1 if rng.random() < 0.8 else -1 for _ in voters]
                promotes = values.count(1)
                demotes = len(values) - promotes
                comments = int(rng.expovariate(1.0))
                ideas.append(
                    Idea(
                        title=f"Benchmark idea number {n} about something useful",
                        slug=f"benchmark-idea-number-{n}",
                        body=BODY,
                        body_html=body_html,
                        author_id=rng.choice(member_ids),
                        category=rng.choice(categories),
                        status=rng.choice(["new", "new", "under_review", "planned", "shipped"]),
                        promotes=promotes,
                        demotes=demotes,
                        score=promotes - demotes,
                        comment_count=comments,
                        hot=hot_rank(promotes - demotes, created),
                        created_at=created,
                        updated_at=created,
                        last_activity_at=created + timedelta(hours=rng.uniform(0, 48)),
                    )
                )
                plans.append((voters, values, comments, created))
            Idea.objects.bulk_create(ideas)
            with connection.connection.cursor() as cursor:
                with cursor.copy(
                    "COPY votes (user_id, content_type_id, object_id, vote, time_stamp) FROM STDIN"
                ) as copy:
                    for idea, (voters, values, _, created) in zip(ideas, plans, strict=True):
                        for voter, value in zip(voters, values, strict=True):
                            copy.write_row((voter, idea_type, str(idea.pk), value, created))
                with cursor.copy(
                    "COPY ideas_comment (idea_id, author_id, body, body_html, is_official,"
                    " author_role, created_at) FROM STDIN"
                ) as copy:
                    for idea, (_, _, comments, created) in zip(ideas, plans, strict=True):
                        for _ in range(comments):
                            copy.write_row(
                                (idea.pk, rng.choice(member_ids), "Agreed.", "<p>Agreed.</p>",
                                 False, "", created)
                            )  # fmt: skip
            self.stdout.write(f"  {start + len(ideas):,} ideas")

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
            p50 = statistics.median(timings)
            p95 = statistics.quantiles(timings, n=20)[18]
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

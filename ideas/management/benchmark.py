"""Shared by the benchmark commands: a large, realistic community.

Idea texts come from the demo content (numbered beyond its 240 ideas), so
searches meet real words; counters are computed as the rows are written.
What is not about the community (timings, worker processes) is in
`community.core.bench`.
"""

import json
import random
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from community.models import User
from ideas.demo.load import CONTENT as DEMO_CONTENT
from ideas.markdown import render_markdown
from ideas.models import Category, Idea
from ideas.ranking import hot_rank

BATCH = 5_000


def load_community(
    *, rng: random.Random, n_ideas: int, n_votes: int, n_members: int, say=print
) -> None:
    """Bulk-load members, ideas, votes and comments with consistent counters."""
    now = timezone.now()
    categories = [
        Category.objects.get_or_create(slug=f"area-{n}", defaults={"name": f"Area {n}"})[0]
        for n in range(8)
    ]
    say(f"Creating {n_members:,} members…")
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
    content = json.loads(DEMO_CONTENT.read_text(encoding="utf-8"))["ideas"]
    bodies_html = [render_markdown(seed["body"]) for seed in content]
    idea_type = ContentType.objects.get_for_model(Idea).pk
    # Long-tailed popularity: each idea's share of the votes, scaled so the
    # total is exactly n_votes.
    weights = [rng.expovariate(1.0) for _ in range(n_ideas)]
    scale = n_votes / sum(weights)
    vote_counts = [min(len(member_ids), round(w * scale)) for w in weights]
    vote_counts[0] += n_votes - sum(vote_counts)

    say(f"Creating {n_ideas:,} ideas and about {n_votes:,} votes…")
    for start in range(0, n_ideas, BATCH):
        ideas, plans = [], []
        for n in range(start, min(start + BATCH, n_ideas)):
            created = now - timedelta(minutes=rng.uniform(0, 3 * 365 * 24 * 60))
            voters = rng.sample(member_ids, max(0, min(len(member_ids), vote_counts[n])))
            values = [1 if rng.random() < 0.8 else -1 for _ in voters]
            promotes = values.count(1)
            demotes = len(values) - promotes
            comments = int(rng.expovariate(1.0))
            seed = content[n % len(content)]
            title = seed["title"] if n < len(content) else f"{seed['title']} ({n})"
            ideas.append(
                Idea(
                    title=title[:140],
                    slug=slugify(title)[:160],
                    body=seed["body"],
                    body_html=bodies_html[n % len(content)],
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
                " author_role, hidden_reason, created_at) FROM STDIN"
            ) as copy:
                for idea, (_, _, comments, created) in zip(ideas, plans, strict=True):
                    for _ in range(comments):
                        copy.write_row(
                            (idea.pk, rng.choice(member_ids), "Agreed.", "<p>Agreed.</p>",
                             False, "", "", created)
                        )  # fmt: skip
        say(f"  {start + len(ideas):,} ideas")


def settle_database() -> None:
    """Statistics and visibility map as autovacuum would leave them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def add_community_arguments(parser, *, requests_help: str = "Requests per scenario.") -> None:
    """The size of the community a benchmark loads, and how many requests it times."""
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200, help=requests_help)
    parser.add_argument("--seed", type=int, default=7)


def community_ready(*, ideas: int, votes: int, members: int, seed: int, say=print, **_):
    """Load the community unless one of this size is there already (a second benchmark
    in the same run reuses it), and settle the database; the random source, seeded."""
    rng = random.Random(seed)
    if Idea.objects.count() < ideas:
        started = time.perf_counter()
        load_community(rng=rng, n_ideas=ideas, n_votes=votes, n_members=members, say=say)
        say(f"Loaded data in {time.perf_counter() - started:.1f} s")
    settle_database()
    return rng

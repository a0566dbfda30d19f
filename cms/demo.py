"""Demo pages for the embedded site: stories linked to shipped demo ideas, one
open and one closed Storm Session, and the guideline pages. Idempotent."""

import io
import random
from datetime import timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from cms.models import (
    HomePage,
    StandardPage,
    StormSessionIndexPage,
    StormSessionPage,
    StoryIdea,
    StoryIndexPage,
    StoryPage,
)
from ideas.demo.load import STORY_IDEAS
from ideas.models import SHIPPED_STATUSES, Category, Idea

PALETTES = [("#312e81", "#0f766e"), ("#1e3a8a", "#7c3aed"), ("#134e4a", "#3730a3")]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _cover_image(title: str, seed: int) -> Image:
    """A generated cover: a two-colour gradient with soft circles, no text."""
    rng = random.Random(seed)
    start, end = PALETTES[seed % len(PALETTES)]
    width, height = 1200, 600
    picture = PILImage.new("RGB", (width, height), start)
    draw = ImageDraw.Draw(picture)
    a, b = (
        PILImage.new("RGB", (1, 1), start).getpixel((0, 0)),
        PILImage.new("RGB", (1, 1), end).getpixel((0, 0)),
    )
    for x in range(width):
        t = x / width
        draw.line(
            [(x, 0), (x, height)], fill=tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))
        )
    for _ in range(7):
        r = rng.randint(60, 220)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=3)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return Image.objects.create(
        title=title,
        file=ImageFile(buffer, name=f"story-cover-{seed}.png"),
        width=width,
        height=height,
    )


# Each story tells the shipped ideas it is about (ideas.demo.load ships them).
STORIES = [
    (
        "A charger you can finally leave at home",
        "You asked for USB-C on both ends and a lighter brick. Here is what we changed, and why.",
        STORY_IDEAS["charger"],
    ),
    (
        "Quieter under load: the new fan profiles",
        "Hundreds of you told us the fans were too loud on video calls. The fix shipped in the last firmware.",
        STORY_IDEAS["fans"],
    ),
    (
        "The companion app now shows battery health",
        "Cycle count and capacity over time, right where you asked for them.",
        STORY_IDEAS["battery"],
    ),
]

GUIDELINES = [
    (
        "Community guidelines",
        "How we keep this a place where ideas get better.",
        [
            ("heading", "Be kind, be specific"),
            (
                "paragraph",
                "<p>Describe the problem you have and the change you want. Criticise ideas, never people. Assume the person on the other side wants the product to be better too.</p>",
            ),
            ("heading", "One idea per post"),
            (
                "paragraph",
                "<p>If your idea is already here, promote it and add your use case in the comments: that counts for more than a second post, and it gets answered sooner.</p>",
            ),
            ("heading", "What we do in return"),
            (
                "paragraph",
                "<p>Every idea gets an answer from a named member of our team. When an idea's status changes, everyone who follows it hears why. Moderators hide spam and abuse, and tell the author the reason.</p>",
            ),
        ],
    ),
    (
        "FAQ",
        "Short answers to the questions people ask most.",
        [
            ("heading", "Who reads the ideas?"),
            (
                "paragraph",
                "<p>Product managers and staff responders for each product area read every new idea. The triage order comes from how many different people support an idea and how long it has waited.</p>",
            ),
            ("heading", "What do the statuses mean?"),
            (
                "paragraph",
                "<p><b>Under review</b>: the team is looking at it. <b>Planned</b>: we intend to build it. <b>In progress</b>: someone is building it. <b>Shipped</b>: it is out. <b>Not planned</b>: we will not build it, and say why.</p>",
            ),
            ("heading", "What is a Storm Session?"),
            (
                "paragraph",
                "<p>A short campaign on one theme, run with a product team. Ideas shared into a session are read together when it closes, and the outcomes are posted on its page.</p>",
            ),
        ],
    ),
    (
        "About",
        "Why this community exists.",
        [
            (
                "paragraph",
                "<p>Idealoop is where the people who use our products and the people who build them work on the same list. Your ideas decide what we look at next; our answers, in the open, tell you what happened to them.</p>",
            ),
        ],
    ),
]


@transaction.atomic
def demo_pages_ensure(*, seed: int = 2026) -> None:
    home = HomePage.objects.get()
    if StoryIndexPage.objects.exists():
        return
    now = timezone.now()
    for title, intro, blocks in GUIDELINES:
        _publish(
            home,
            StandardPage(title=title, intro=intro, body=blocks, show_in_menus=False),
        )

    stories_index = _publish(home, StoryIndexPage(
        title="Ideas in Action", slug="ideas-in-action", show_in_menus=True,
        intro="What shipped because you asked for it, told by the people who built it.",
    ))  # fmt: skip
    for number, (title, summary, idea_titles) in enumerate(STORIES):
        ideas = list(
            Idea.objects.published().filter(status__in=SHIPPED_STATUSES, title__in=idea_titles)
        )
        ideas.sort(key=lambda idea: idea_titles.index(idea.title))
        if not ideas:
            continue
        story = StoryPage(
            title=title,
            summary=summary,
            hero_image=_cover_image(title, seed + number),
            body=[
                ("paragraph", f"<p>{summary} It started with a post in this community, and the thread that grew under it.</p>"),
                ("quote", {"quote": "We read every comment on the thread before we wrote the spec.", "attribution": "Jordan Lee, Product manager"}),
                ("idea", {"idea": ideas[0], "note": "The idea that started it."}),
                ("paragraph", "<p>Thank you to everyone who promoted it, argued about it and tested the early builds. Keep the ideas coming.</p>"),
            ],
            story_ideas=[StoryIdea(idea=idea) for idea in ideas],
        )  # fmt: skip
        _publish(stories_index, story)

    sessions_index = _publish(home, StormSessionIndexPage(
        title="Storm Sessions", slug="storm-sessions", show_in_menus=True,
        intro="Short, themed campaigns with a product team. Bring your best ideas while a session is open.",
    ))  # fmt: skip
    laptops = Category.objects.filter(slug="laptops").first() or Category.objects.first()
    monitors = Category.objects.filter(slug="monitors-displays").first() or Category.objects.last()
    # Each session holds ideas of its area that were shared while it ran: its dates
    # reach back far enough to hold a few of the demo ideas, never the other way round.
    open_ends = now + timedelta(days=9)
    open_starts = _session_start(laptops, ends_at=now, at_least=now - timedelta(days=14))
    open_session = _publish(sessions_index, StormSessionPage(
        title="Battery life week", theme="What would make your laptop last a whole day?",
        prompt="<p>Tell the laptop team where your battery goes, and what would keep you unplugged longer.</p>",
        product_area=laptops, starts_at=open_starts, ends_at=open_ends,
    ))  # fmt: skip
    closed_ends = now - timedelta(days=30)
    closed_starts = _session_start(
        monitors, ends_at=closed_ends, at_least=closed_ends - timedelta(days=30)
    )
    closed_session = _publish(sessions_index, StormSessionPage(
        title="Monitors for hybrid work", theme="Your desk at home and at the office: what is missing?",
        prompt="<p>Docking, cables, cameras, stands: tell us what gets in the way.</p>",
        product_area=monitors, starts_at=closed_starts, ends_at=closed_ends,
        voting_policy=StormSessionPage.VotingPolicy.CLOSES,
    ))  # fmt: skip
    for session, category in ((open_session, laptops), (closed_session, monitors)):
        Idea.objects.published().filter(
            category=category, created_at__gte=session.starts_at, created_at__lt=session.ends_at
        ).update(storm_session=session)


SESSION_IDEAS = 4  # at least this many ideas of its area fall inside each demo session


def _session_start(category, *, ends_at, at_least):
    """The start that puts the last few ideas of `category` before `ends_at` inside the session."""
    created = list(
        Idea.objects.published()
        .filter(category=category, created_at__lt=ends_at)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:SESSION_IDEAS]
    )
    earliest = created[-1] - timedelta(hours=1) if created else at_least
    return min(at_least, earliest)

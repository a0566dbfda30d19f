"""Demo ideas for the embedded site: a community that looks alive.

Everything goes through the domain services with back-dated clocks, so the
counters, follows and timelines are exactly what real use would produce.
"""

import json
import random
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from community import permissions
from community.models import Notification
from ideas import services
from ideas.exceptions import NearCopyWarning
from ideas.models import Category, Idea, Status

CONTENT = Path(__file__).with_name("content.json")
DAYS_OF_HISTORY = 180

# The ideas the demo's Ideas in Action stories tell (cms.demo): they ship.
STORY_IDEAS = {
    "charger": [
        "Ship chargers with USB-C on both ends",
        "Sell a compact 100W GaN charger with two ports",
    ],
    "fans": [
        "Let the fan curve be set per power profile",
        "Show which app is keeping the fan running",
    ],
    "battery": [
        "Show battery health percentage in the BIOS and the app",
        "Add a battery charge history graph",
    ],
}
SHIPPED_FOR_STORIES = {title for titles in STORY_IDEAS.values() for title in titles}

# Final status → how many in a hundred ideas, and the path staff take to it.
STATUS_PATHS = {
    Status.NEW: (30, []),
    Status.UNDER_REVIEW: (20, [Status.UNDER_REVIEW]),
    Status.PLANNED: (12, [Status.UNDER_REVIEW, Status.PLANNED]),
    Status.IN_PROGRESS: (8, [Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS]),
    Status.SHIPPED: (
        12, [Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.SHIPPED]
    ),
    Status.PARTIALLY_SHIPPED: (
        4, [Status.UNDER_REVIEW, Status.PLANNED, Status.IN_PROGRESS, Status.PARTIALLY_SHIPPED]
    ),
    Status.NOT_PLANNED: (8, [Status.UNDER_REVIEW, Status.NOT_PLANNED]),
    Status.DUPLICATE: (3, [Status.DUPLICATE]),
    Status.ARCHIVED: (3, [Status.UNDER_REVIEW, Status.ARCHIVED]),
}  # fmt: skip


def _members(content: dict) -> list:
    User = get_user_model()
    members = []
    for person in content["members"]:
        # The handle is public; the address must not be guessable from it.
        email = f"demo-member-{len(members) + 1}@members.example.com"
        user, created = User.objects.get_or_create(
            username=person["username"],
            defaults={"email": email, "display_name": person["display_name"], "bio": person["bio"]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        members.append(user)
    return members


def _categories(content: dict) -> dict[str, Category]:
    categories = {}
    for position, item in enumerate(content["categories"]):
        category, _ = Category.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "name": item["name"],
                "description": item["description"],
                "position": position,
            },
        )
        categories[item["slug"]] = category
    return categories


@transaction.atomic
def demo_ideas_ensure(*, customer, staff: list, seed: int = 2026) -> int:
    """Create the demo community once; return how many ideas were created."""
    if Idea.objects.exists():
        return 0
    content = json.loads(CONTENT.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    refused: set[tuple[int, str]] = set()  # official-response drafts found to be near-copies
    now = timezone.now()
    members = _members(content) + [customer]
    categories = _categories(content)
    weights = [weight for weight, _ in STATUS_PATHS.values()]
    responses_by_status: dict[str, list[str]] = {}
    for response in content["official_responses"]:
        responses_by_status.setdefault(response["for_status"], []).append(response["text"])

    for item in content["ideas"]:
        created = now - timedelta(days=rng.uniform(1, DAYS_OF_HISTORY))
        author = rng.choice(members)
        idea = services.idea_create(
            author=author,
            title=item["title"],
            body=item["body"],
            category=categories[item["category"]],
            tags=item["tags"],
            now=created,
        )
        clock = created

        def later(max_hours: float = 72) -> timedelta:
            nonlocal clock
            clock = min(clock + timedelta(hours=rng.uniform(0.2, max_hours)), now)
            return clock

        # Popular ideas are popular: a long-tailed number of voters, mostly promoting.
        voters = rng.sample(members, k=min(len(members), int(rng.paretovariate(1.2) * 3)))
        for voter in voters:
            if voter != author:
                value = 1 if rng.random() < 0.82 else -1
                services.vote_cast(voter=voter, idea_id=idea.pk, value=value, now=later(24))

        comments = []
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4, 6])):
            commenter = rng.choice(members)
            if comments and rng.random() < 0.35:
                comments.append(
                    services.comment_create(
                        author=commenter,
                        idea_id=idea.pk,
                        body=rng.choice(content["replies"]),
                        parent_id=rng.choice(comments).pk,
                        now=later(),
                    )
                )
            else:
                comments.append(
                    services.comment_create(
                        author=commenter,
                        idea_id=idea.pk,
                        body=rng.choice(content["comments"]),
                        now=later(),
                    )
                )

        final_status = rng.choices(list(STATUS_PATHS), weights=weights)[0]
        if item["title"] in SHIPPED_FOR_STORIES:
            final_status = Status.SHIPPED
        if final_status == Status.NEW and created < now - timedelta(days=6):
            final_status = Status.UNDER_REVIEW  # older ideas have had their answer
        responder = rng.choice(staff)
        if final_status == Status.DUPLICATE:
            earlier = list(
                Idea.objects.filter(category=idea.category, merged_into=None)
                .exclude(pk=idea.pk)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            merger = next((m for m in staff if permissions.can_merge(m)), None)
            if earlier and merger is not None:
                services.idea_merge(
                    actor=merger,
                    duplicate_id=idea.pk,
                    into_id=rng.choice(earlier),
                    message=rng.choice(content["status_messages"][Status.DUPLICATE]),
                    now=later(24 * 3),
                )
            continue
        # The first answer mostly comes within the 72-hour target, whatever
        # the discussion did meanwhile; later steps take days or weeks.
        first_answer = min(created + timedelta(hours=rng.uniform(1, 90)), now)
        path = STATUS_PATHS[final_status][1]
        answered = False
        for number, step in enumerate(path):
            services.idea_status_change(
                actor=responder,
                idea_id=idea.pk,
                to_status=step,
                message=rng.choice(content["status_messages"][step]),
                now=first_answer if number == 0 else later(24 * 10),
            )
            clock = max(clock, first_answer)
            # The pinned (latest) official response must agree with the final status:
            # once staff have answered in writing, the last step gets a written answer too.
            last = number == len(path) - 1
            if step in responses_by_status and (rng.random() < 0.6 or (last and answered)):
                answered = (
                    _official_response(
                        responder,
                        idea,
                        responses_by_status[step],
                        rng=rng,
                        now=later(6),
                        refused=refused,
                    )
                    or answered
                )
    # Members have read what is more than a week old, as real members would have.
    Notification.objects.filter(created_at__lt=now - timedelta(days=7)).update(read_at=now)
    return len(content["ideas"])


def _official_response(responder, idea, texts: list[str], *, rng, now, refused: set) -> bool:
    """Post one of `texts`; a text too like an earlier answer is swapped for another,
    as a staff member would rewrite it (the last resort is posting it knowingly).

    A text once refused for a responder stays refused for the rest of the load (the
    answers it resembles are still there), so `refused` remembers it rather than
    running the near-copy check, the slowest step of the demo, again.
    """
    for text in rng.sample(texts, k=len(texts)):
        if (responder.pk, text) in refused:
            continue
        try:
            services.comment_create(
                author=responder, idea_id=idea.pk, body=text, official=True, now=now
            )
            return True
        except NearCopyWarning:
            refused.add((responder.pk, text))
            continue
    services.comment_create(
        author=responder, idea_id=idea.pk, body=texts[0], official=True, now=now,
        near_copy_acknowledged=True,
    )  # fmt: skip
    return True

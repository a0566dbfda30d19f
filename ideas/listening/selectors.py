"""Reads: the rating prompt, staff's view of ratings, and the listening figures.

The figures are one computation shared by the public report (`/listening/`)
and the staff figures page: for the last 12 months, by month and in total
(and, for staff, by product area and by owner):

- answered: share of ideas posted that got a human staff answer (an official
  response or a status change's public message);
- in target: of the ideas whose answer is due (`ideas.targets.answer_due`),
  the share answered within the response target;
- median time to first answer;
- decided: share of the ideas posted that have had their decision;
- shipped: ideas that shipped in the month (once per idea), and the "changes
  made from listening": those ideas with their Ideas in Action stories;
- the listening score: the net-promoter formula over the ratings given in the
  month (% 9–10 minus % 0–6), shown from LISTENING_SCORE_MIN_RATINGS ratings.

Answer and decision figures count by the month an idea was posted, shipments
by the month they happened, ratings by the month they were given. Hidden,
withdrawn and merged-away ideas are left out. The figures are computed at most
once per LISTENING_REPORT_CACHE_SECONDS and shared through the cache, so a
page view reads one cache entry and never scans the ideas. The scheduler
recomputes them on the worker before they go stale (`listening_report_due`),
and keeps them twice as long, so in a running site no reader waits for the
computation (a few seconds at 100,000 ideas); only a cold cache makes one.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models import StoryIdea
from community import pagecache
from community.cache import HeldHere
from community.core.i18n import month_label
from ideas.listening.models import ListeningRating
from ideas.listening.permissions import stages_open
from ideas.listening.services import has_voted
from ideas.models import DECIDED_STATUSES, SHIPPED_STATUSES, Category, Idea, StatusEvent
from ideas.targets import AnswerCounts, response_target

CACHE_KEY = "listening:report:v2"  # the rows changed shape: old entries are not read
CHANGES_LIMIT = 30


# --- The rating prompt and staff's list ----------------------------------------------------


@dataclass(frozen=True)
class RatingPrompt:
    stage: str
    stage_label: str
    rating: ListeningRating | None  # the viewer's own rating at this stage, to change


def rating_prompt(*, idea: Idea, viewer) -> RatingPrompt | None:
    """What to ask the viewer on the idea page: the latest stage they may rate, if any."""
    if not viewer.is_authenticated:
        return None

    def voted() -> bool:
        # The idea page's idea carries the viewer's vote (`with_user_vote`): no query.
        if hasattr(idea, "user_vote"):
            return idea.user_vote is not None
        return has_voted(user=viewer, idea=idea)

    stages = stages_open(viewer=viewer, idea=idea, voted=voted)
    if not stages:
        return None
    stage = stages[0]
    rating = ListeningRating.objects.filter(idea=idea, rater=viewer, stage=stage).first()
    return RatingPrompt(
        stage=stage, stage_label=ListeningRating.Stage(stage).label.lower(), rating=rating
    )


def idea_ratings(*, idea: Idea) -> list[ListeningRating]:
    """Every rating of the idea with its sentence, for staff (never shown in public)."""
    return list(idea.ratings.select_related("rater").order_by("-rated_at", "-id"))


# --- The score ------------------------------------------------------------------------------


@dataclass
class ListeningScore:
    promoters: int = 0  # rated 9 or 10
    passives: int = 0  # 7 or 8
    detractors: int = 0  # 0 to 6

    def add(self, score: int) -> None:
        if score >= 9:
            self.promoters += 1
        elif score >= 7:
            self.passives += 1
        else:
            self.detractors += 1

    @property
    def count(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def net(self) -> int | None:
        """% promoters minus % detractors, rounded; None below the minimum number of ratings."""
        if self.count == 0 or self.count < settings.LISTENING_SCORE_MIN_RATINGS:
            return None
        return round(100 * (self.promoters - self.detractors) / self.count)

    @property
    def shown(self) -> bool:
        return self.net is not None


def listening_score(scores) -> ListeningScore:
    result = ListeningScore()
    for score in scores:
        result.add(score)
    return result


# --- The figures ----------------------------------------------------------------------------


@dataclass(kw_only=True)
class ListeningRow(AnswerCounts):
    label: str
    key: str = ""
    decided: int = 0  # of the ideas posted, those decided since (a share, not throughput)
    shipped: int = 0
    score: ListeningScore = field(default_factory=ListeningScore)

    @property
    def decided_share(self) -> float | None:
        return self.decided / self.posted if self.posted else None


@dataclass(frozen=True)
class StoryLink:
    title: str
    url: str


@dataclass(frozen=True)
class ShippedChange:
    idea_id: int
    title: str
    url: str
    status_label: str
    shipped_at: datetime
    stories: list[StoryLink]


@dataclass
class ListeningReport:
    since: datetime
    computed_at: datetime
    target: timedelta
    min_ratings: int
    total: ListeningRow
    months: list[ListeningRow]  # oldest first
    by_area: list[ListeningRow]
    by_owner: list[ListeningRow]
    changes: list[ShippedChange]

    @property
    def target_hours(self) -> int:
        return round(self.target.total_seconds() / 3600)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def report_since(now: datetime, months: int = 12) -> datetime:
    since = _month_start(now)
    for _month in range(months - 1):
        since = _month_start(since - timedelta(days=1))
    return since


def compute_report(*, now: datetime, months: int = 12) -> ListeningReport:
    """The figures, computed from the rows (the cached `listening_report` calls this)."""
    since = report_since(now, months)
    current_tz = timezone.get_current_timezone()
    by_month: dict[str, ListeningRow] = {}
    cursor = since
    while cursor <= now:
        key = f"{cursor:%Y-%m}"
        by_month[key] = ListeningRow(label=month_label(cursor, "M Y"), key=key)
        cursor = _month_start(cursor + timedelta(days=32))
    areas = {
        pk: ListeningRow(label=name, key=str(pk))
        for pk, name in Category.objects.values_list("pk", "name")
    }
    owners: dict[int | None, ListeningRow] = {}
    total = ListeningRow(label=_("Last 12 months"), key="total")

    def month_of(moment: datetime) -> ListeningRow:
        return by_month[f"{timezone.localtime(moment, current_tz):%Y-%m}"]

    def owner_row(owner_id):
        return owners.setdefault(owner_id, ListeningRow(label="", key=str(owner_id or "")))

    counted = Idea.objects.visible_to_customers()
    facts = {}
    for idea_id, category_id, owner_id, created, answered in counted.filter(
        created_at__gte=since, created_at__lte=now
    ).values_list("pk", "category_id", "owner_id", "created_at", "first_staff_response_at"):
        facts[idea_id] = (category_id, owner_id, created)
        if answered is not None and answered > now:
            answered = None  # answered after the clock the figures are computed for
        for row in (total, month_of(created), areas[category_id], owner_row(owner_id)):
            row.add(created_at=created, answered_at=answered, now=now)

    # Decided: ideas posted in the period that have had a decision (by the clock).
    decided_ids = set(
        StatusEvent.objects.filter(
            idea_id__in=counted.filter(created_at__gte=since).values("pk"),
            to_status__in=DECIDED_STATUSES,
            created_at__lte=now,
        ).values_list("idea_id", flat=True)
    )
    for idea_id in decided_ids & facts.keys():
        category_id, owner_id, created = facts[idea_id]
        for row in (total, month_of(created), areas[category_id], owner_row(owner_id)):
            row.decided += 1

    # Shipped: once per idea, in the month of its first shipment.
    first_shipped: dict[int, datetime] = {}
    for idea_id, created in StatusEvent.objects.filter(
        idea__in=counted, to_status__in=SHIPPED_STATUSES, created_at__lte=now
    ).values_list("idea_id", "created_at"):
        if idea_id not in first_shipped or created < first_shipped[idea_id]:
            first_shipped[idea_id] = created
    shipped = {pk: at for pk, at in first_shipped.items() if at >= since}
    shipped_ideas = {
        idea.pk: idea
        for idea in counted.filter(pk__in=shipped).only(
            "pk", "slug", "title", "status", "category_id", "owner_id"
        )
    }
    for idea_id, at in shipped.items():
        idea = shipped_ideas.get(idea_id)
        if idea is None:
            continue
        for row in (total, month_of(at), areas[idea.category_id], owner_row(idea.owner_id)):
            row.shipped += 1

    # Ratings, in the month they were given (or last changed).
    for score, rated_at, category_id, owner_id in ListeningRating.objects.filter(
        rated_at__gte=since, rated_at__lte=now, idea__in=counted
    ).values_list("score", "rated_at", "idea__category_id", "idea__owner_id"):
        for row in (total, month_of(rated_at), areas[category_id], owner_row(owner_id)):
            row.score.add(score)

    names = {
        user.pk: user.public_name
        for user in Idea._meta.get_field("owner").related_model.objects.filter(
            pk__in=[pk for pk in owners if pk is not None]
        )
    }
    for owner_id, row in owners.items():
        row.label = names.get(owner_id, "Unassigned") if owner_id else "Unassigned"

    return ListeningReport(
        since=since,
        computed_at=now,
        target=response_target(),
        min_ratings=settings.LISTENING_SCORE_MIN_RATINGS,
        total=total,
        months=list(by_month.values()),
        by_area=[row for row in areas.values() if row.posted or row.shipped or row.score.count],
        by_owner=sorted(owners.values(), key=lambda row: (row.label == "Unassigned", row.label)),
        changes=_changes(shipped, shipped_ideas),
    )


def _changes(shipped: dict[int, datetime], ideas: dict[int, Idea]) -> list[ShippedChange]:
    """Shipped ideas, most recent first, with the live stories that tell them."""
    recent = sorted(
        (pk for pk in shipped if pk in ideas), key=lambda pk: shipped[pk], reverse=True
    )[:CHANGES_LIMIT]
    stories: dict[int, list[StoryLink]] = {}
    links = (
        StoryIdea.objects.filter(idea_id__in=recent, story__live=True)
        .select_related("story")
        .order_by("-story__first_published_at")
    )
    for link in links:
        stories.setdefault(link.idea_id, []).append(
            StoryLink(title=link.story.title, url=link.story.url or "/")
        )
    return [
        ShippedChange(
            idea_id=pk,
            title=ideas[pk].title,
            url=ideas[pk].get_absolute_url(),
            status_label=ideas[pk].get_status_display(),
            shipped_at=shipped[pk],
            stories=stories.get(pk, []),
        )
        for pk in recent
    ]


def changes_visible_to(changes: list[ShippedChange], *, viewer) -> list[ShippedChange]:
    """The report's shipped changes that `viewer` may see.

    The report is one cached copy for everyone, and its figures count every
    idea (a number names none), but an idea of a Storm Session limited to a
    group is named only to that group and staff: picked here, at read time, so
    a session's new audience holds at once.
    """
    if not changes:
        return []
    shown = set(
        Idea.objects.filter(pk__in=[change.idea_id for change in changes])
        .for_audience(viewer)
        .values_list("pk", flat=True)
    )
    return [change for change in changes if change.idea_id in shown]


# The cached report page (community.pagecache) names this family: new figures, a new page.
REPORT_PAGES = "pages.listening"

# Unpickling the figures (their month names are lazy translations) costs more than
# drawing the page, so each process keeps the copy it read for a few seconds.
_here = HeldHere(5.0)


def listening_report(*, now: datetime | None = None) -> ListeningReport:
    """The figures as of at most LISTENING_REPORT_CACHE_SECONDS ago, shared through the cache."""
    return _here.get(
        lambda: cache.get_or_set(
            CACHE_KEY,
            lambda: compute_report(now=now or timezone.now()),
            settings.LISTENING_REPORT_CACHE_SECONDS,
        )
    )


def listening_report_refresh(*, now: datetime | None = None) -> ListeningReport:
    """Recompute and store the figures now (the worker, queued by the scheduler)."""
    report = compute_report(now=now or timezone.now())
    cache.set(CACHE_KEY, report, 2 * settings.LISTENING_REPORT_CACHE_SECONDS)
    _here.forget()
    pagecache.pages_changed(REPORT_PAGES)
    return report


def listening_report_due(*, now: datetime | None = None) -> bool:
    """Whether the shared figures are missing or LISTENING_REPORT_CACHE_SECONDS old."""
    report = cache.get(CACHE_KEY)
    now = now or timezone.now()
    age = settings.LISTENING_REPORT_CACHE_SECONDS
    return report is None or (now - report.computed_at).total_seconds() >= age

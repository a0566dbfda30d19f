"""Reads for the Wagtail pages. Page models call these from get_context."""

from django.conf import settings
from django.core.paginator import EmptyPage
from django.db.models import Count, Q
from django.utils import timezone

from ideas import selectors as idea_selectors
from ideas.models import Idea, Status


def home_page_context(*, viewer) -> dict:
    from cms.models import StormSessionPage, StoryPage

    now = timezone.now()
    sessions = StormSessionPage.objects.live().filter(starts_at__lte=now, ends_at__gt=now)
    return {
        "figures": idea_selectors.community_figures(),
        "trending": idea_selectors.idea_list(viewer=viewer, sort="hot", now=now)[:5],
        "latest_stories": StoryPage.objects.live()
        .select_related("hero_image")
        .order_by("-first_published_at")[:3],
        "open_sessions": sessions.select_related("product_area").order_by("ends_at"),
    }


SESSION_SORTS = ["hot", "top", "new", "discussed", "active"]


def storm_session_context(*, session, request) -> dict:
    now = timezone.now()
    sort = request.GET.get("sort", "hot")
    sort = sort if sort in SESSION_SORTS else "hot"
    ideas = idea_selectors.idea_list(viewer=request.user, sort=sort, storm_session=session, now=now)
    try:
        page_number = max(1, int(request.GET.get("page", 1)))
        page = idea_selectors.paginate(
            ideas, page_number=page_number, per_page=settings.IDEAS_PER_PAGE
        )
    except (ValueError, EmptyPage):
        page = idea_selectors.paginate(ideas, page_number=1, per_page=settings.IDEAS_PER_PAGE)
    context = {
        "is_open": session.is_open(now),
        "has_started": session.starts_at <= now,
        "takes_votes": session.takes_votes(now),
        "sort": sort,
        "sorts": SESSION_SORTS,
        "page_obj": page,
        "ideas": page.object_list,
    }
    if session.ends_at <= now:
        context["outcomes"] = storm_session_outcomes(session=session)
    return context


def storm_session_outcomes(*, session) -> dict:
    """What came of a closed session: ideas by status, and how many staff answered."""
    ideas = Idea.objects.published().filter(storm_session=session)
    by_status = dict(ideas.values_list("status").annotate(n=Count("pk")))
    totals = ideas.aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(first_staff_response_at__isnull=False))
    )
    return {
        "by_status": [
            {"status": value, "label": label, "count": by_status[value]}
            for value, label in Status.choices
            if by_status.get(value)
        ],
        **totals,
    }


def stories_about(*, idea_id: int):
    """Live Ideas in Action stories that tell this idea."""
    from cms.models import StoryPage

    return (
        StoryPage.objects.live()
        .filter(story_ideas__idea_id=idea_id)
        .order_by("-first_published_at")
    )


def storm_sessions_live():
    """Every live Storm Session, the latest first."""
    from cms.models import StormSessionPage

    return StormSessionPage.objects.live().order_by("-starts_at", "-pk")

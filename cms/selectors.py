"""Reads for the Wagtail pages. Page models call these from get_context."""

from django.conf import settings
from django.core.paginator import EmptyPage
from django.db.models import Count, Q
from django.utils import timezone

from community import pagecache
from community.core.ids import parse_page
from community.permissions import audience_members
from ideas import selectors as idea_selectors
from ideas.models import Idea, Status


def restriction_admits(restriction, user) -> bool:
    """Whether a Wagtail view restriction lets `user` read the page without a password.

    The one rule for lists, feeds, the idea page's story links and story
    notifications: a password-protected story is never listed (nobody has
    typed the password where the list is shown), a login-only one is listed to
    members, a group-only one to members of those groups.
    """
    if restriction.restriction_type == restriction.LOGIN:
        return bool(user and user.is_authenticated)
    if restriction.restriction_type == restriction.GROUPS:
        if not (user and user.is_authenticated):
            return False
        if user.is_superuser:
            return True
        wanted = {group.pk for group in restriction.groups.all()}
        return bool(wanted & set(user.groups.values_list("pk", flat=True)))
    return False  # a password, or a kind Wagtail adds later


def _refused_paths(viewer) -> list[str]:
    """Tree paths of the pages whose view restriction does not admit `viewer`."""
    from wagtail.models import PageViewRestriction

    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return [r.page.path for r in restrictions if not restriction_admits(r, viewer)]


def stories_visible_to(viewer):
    """Live Ideas in Action stories `viewer` may read: view restrictions hold in every list."""
    from cms.models import StoryPage

    refused = Q()
    for path in _refused_paths(viewer):
        refused |= Q(path__startswith=path)
    stories = StoryPage.objects.live()
    return stories.exclude(refused) if refused else stories


def stories_listed(request):
    """The stories a page lists to this reader (`stories_visible_to`).

    While the visitors' copy is drawn, a story visitors may not read (behind a
    login or a group) is some members' to read: if there is one, members get
    their own render of the page, which lists it.
    """
    from cms.models import StoryPage

    stories = stories_visible_to(request.user)
    if pagecache.drawing(request) and StoryPage.objects.live().count() > stories.count():
        pagecache.members_draw_their_own(request)
    return stories


def home_page_context(request) -> dict:
    from cms.models import StormSessionPage

    viewer, now = request.user, timezone.now()
    sessions = (
        StormSessionPage.objects.live()
        .for_audience(viewer)
        .filter(starts_at__lte=now, ends_at__gt=now)
    )
    return {
        "figures": idea_selectors.community_figures(),
        "trending": idea_selectors.idea_list(viewer=viewer, sort="hot", now=now)[:5],
        "latest_stories": stories_listed(request)
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
        page = idea_selectors.paginate(
            ideas,
            page_number=parse_page(request.GET.get("page")) or 1,
            per_page=settings.IDEAS_PER_PAGE,
        )
    except EmptyPage:
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


def stories_about(*, idea_id: int, viewer) -> list:
    """Live Ideas in Action stories that tell this idea, as far as `viewer` may read them.

    Most ideas have no story, so the view restrictions are read only when one does.
    """
    from cms.models import StoryPage

    stories = list(
        StoryPage.objects.live()
        .filter(story_ideas__idea_id=idea_id)
        .order_by("-first_published_at")
    )
    if not stories:
        return []
    refused = _refused_paths(viewer)
    return [s for s in stories if not any(s.path.startswith(path) for path in refused)]


def live_story_count(*, idea_id: int) -> int:
    """Live stories that tell this idea, whoever may read them."""
    from cms.models import StoryPage

    return StoryPage.objects.live().filter(story_ideas__idea_id=idea_id).count()


def storm_sessions_live(*, viewer):
    """Every live Storm Session `viewer` may see, the latest first."""
    from cms.models import StormSessionPage

    return StormSessionPage.objects.live().for_audience(viewer).order_by("-starts_at", "-pk")


def public_stories_by_idea(idea_ids) -> dict[int, dict]:
    """Per idea, the latest live story anyone may read that tells it: its title and link.

    Used by the shipped email (registered in `cms.apps`); a story behind a
    password, a login or a group is left out, since the email goes to anyone.
    """
    from django.contrib.auth.models import AnonymousUser

    from cms.models import StoryIdea

    links = list(
        StoryIdea.objects.filter(idea_id__in=idea_ids, story__live=True)
        .select_related("story")
        .order_by("-story__first_published_at", "-story_id")
    )
    if not links:
        return {}
    refused = _refused_paths(AnonymousUser())
    found: dict[int, dict] = {}
    for link in links:
        story = link.story
        if link.idea_id in found or any(story.path.startswith(path) for path in refused):
            continue
        found[link.idea_id] = {"story_title": story.title, "story_url": story.url or ""}
    return {pk: values for pk, values in found.items() if values["story_url"]}


def storm_session_audience(event) -> list:
    """Who hears that a Storm Session opened or closed (`cms.services.storm_session_notices_send`).

    Closed: everyone who took part in it: posted one of its ideas, voted on
    one, or follows one. Opened: everyone who took part in an earlier session
    of the same product area, and anyone already following one of its ideas.
    Worked out when the worker runs: a session unpublished or put behind a
    view restriction by then tells nobody, and one limited to a group tells
    only those of them who may see it (`community.permissions.audience_members`).
    """
    from django.contrib.auth.models import AnonymousUser

    from cms.models import StormSessionPage
    from community.notifications.audiences import Group

    session = StormSessionPage.objects.live().filter(pk=event.params.get("session_id")).first()
    if session is None or session.pk in _refused_session_ids(AnonymousUser(), [session]):
        return []
    if event.audience.endswith(".open"):
        earlier = StormSessionPage.objects.filter(
            product_area_id=session.product_area_id, starts_at__lt=session.starts_at
        ).values("pk")
        took_part = idea_selectors.participants(storm_session_ids=earlier)
        told = took_part | idea_selectors.participants(storm_session_ids=[session.pk])
    else:
        told = idea_selectors.participants(storm_session_ids=[session.pk])
    return [Group(audience_members(told, session.restricted_to_id))]


def private_ideas_under(page) -> int:
    """How many ideas of Storm Sessions limited to a group `page` and its descendants
    hold: deleting them would show those ideas to everyone, so it is refused
    (`ideas.models.leave_the_session_unless_limited`)."""
    from cms.models import StormSessionPage

    sessions = StormSessionPage.objects.descendant_of(page, inclusive=True)
    return Idea.objects.filter(storm_session__in=sessions).in_a_limited_session().count()


def _refused_session_ids(viewer, sessions) -> set[int]:
    refused = _refused_paths(viewer)
    return {s.pk for s in sessions if any(s.path.startswith(path) for path in refused)}


def storm_session_next_change(now):
    """The next moment a live Storm Session opens or closes (pages change by the clock
    alone then: the home page's open sessions, voting on its ideas), or None."""
    from django.db.models import Min

    from cms.models import StormSessionPage

    found = StormSessionPage.objects.live().aggregate(
        opens=Min("starts_at", filter=Q(starts_at__gt=now)),
        closes=Min("ends_at", filter=Q(ends_at__gt=now)),
    )
    found = [moment for moment in found.values() if moment is not None]
    return min(found) if found else None

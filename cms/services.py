"""Writes to the page tree."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from wagtail.models import Collection, Locale, Page, Site

from cms.models import (
    HomePage,
    StormSessionNotice,
    StormSessionPage,
    StoryAnnouncement,
    StoryPage,
)
from cms.selectors import restriction_admits
from community.models import Notification
from community.notifications.services import notification_send
from community.notifications.texts import day, part
from ideas import selectors as idea_selectors
from ideas.models import Follow, Idea
from realtime import api as realtime
from search import api as search


@transaction.atomic
def home_page_ensure(*, title: str = "Home") -> HomePage:
    """Make sure the site has a HomePage at its root, and return it.

    Idempotent: demo data and fresh test databases both call it. Wagtail's own
    migration leaves a placeholder welcome page; it is replaced here.
    """
    # Wagtail's migrations make the root collection too; a flushed test database has none.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.first()
    if home is not None:
        return home

    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root")
    root.get_children().exclude(id__in=HomePage.objects.values("id")).filter(slug="home").delete()
    home = root.add_child(instance=HomePage(title=title, slug="home"))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Idealoop",
        )
    else:
        site.root_page = home
        site.site_name = "Idealoop"
        site.save()
    return home


@transaction.atomic
def story_followers_notify(*, story_id: int) -> int:
    """Tell the followers of a story's ideas that it is out: once, on first publish.

    The announcement row is unique per story, so a second publish (or one
    racing this one) finds it and notifies nobody. Each member hears once,
    about the first linked idea they follow.
    """
    story = StoryPage.objects.live().filter(pk=story_id).first()
    if story is None:
        return 0
    _announcement, first_time = StoryAnnouncement.objects.get_or_create(story=story)
    if not first_time:
        return 0
    restrictions = list(story.get_view_restrictions())
    told: set[int] = set()
    for idea in story.published_ideas():
        followers = set(Follow.objects.filter(idea=idea).values_list("user_id", flat=True)) - told
        if restrictions:  # only those who may read the story hear of it
            members = get_user_model().objects.filter(pk__in=followers)
            followers = {
                member.pk
                for member in members
                if all(restriction_admits(r, member) for r in restrictions)
            }
        notification_send(
            user_ids=followers,
            idea=idea,
            actor=None,
            kind=Notification.Kind.STORY,
            message=[
                part(
                    gettext_noop("“%(title)s” shipped, and here is the story: %(story)s"),
                    title=idea.title,
                    story=story.title,
                )
            ],  # fmt: skip
            url=story.url or "/",
        )
        told |= followers
    return len(told)


@transaction.atomic
def storm_session_published(*, session_id: int) -> int:
    """A Storm Session was published, perhaps for a new audience: make every output agree.

    Its ideas' search documents carry the group the session is limited to, so
    they are queued for rewriting (in this transaction: a rolled-back publish
    queues nothing); list counts cached for the old audience and the search
    filter's copy of the sessions are not read again. Pages, feeds and the API
    read the session's audience when they answer and need nothing; sockets open
    on its ideas ask again if it is now limited to a group (one left open to
    everyone loses nobody). A member leaving the group needs nothing here:
    searches filter by the reader's groups, the counts are cached per set of
    groups, and their sockets are told (`community.members.signals`).
    Returns how many ideas were queued.
    """
    idea_ids = list(Idea.objects.filter(storm_session_id=session_id).values_list("pk", flat=True))
    search.ideas_changed(idea_ids)
    if StormSessionPage.objects.filter(pk=session_id, restricted_to__isnull=False).exists():
        realtime.ideas_audience_changed(idea_ids=idea_ids)
    transaction.on_commit(idea_selectors.audiences_changed)
    transaction.on_commit(search.storm_sessions_changed)
    return len(idea_ids)


# --- Storm Session open and close notices ----------------------------------------------

# Sessions that opened or closed longer ago than this are not announced (a
# scheduler switched on late, or the first run after this feature shipped).
NOTICE_WINDOW = timedelta(days=2)
SESSION_OPEN = "storm_session.open"
SESSION_CLOSED = "storm_session.closed"


def storm_session_notices_send(*, now=None) -> list[tuple[int, str]]:
    """Tell members a Storm Session opened or closed: once per session and phase.

    Run by the scheduler each pass. Each notice row is written in the same
    transaction as its notification event (and its fan-out task), and is
    unique per session and phase, so a rerun or a second scheduler sends
    nothing twice. Who hears is worked out by the worker
    (`storm_session_audience`).
    """
    now = now or timezone.now()
    since = now - NOTICE_WINDOW
    live = StormSessionPage.objects.live()
    due = [
        (session, StormSessionNotice.Phase.OPEN)
        for session in live.filter(starts_at__lte=now, starts_at__gt=since, ends_at__gt=now)
        .exclude(notices__phase=StormSessionNotice.Phase.OPEN)
    ] + [
        (session, StormSessionNotice.Phase.CLOSED)
        for session in live.filter(ends_at__lte=now, ends_at__gt=since)
        .exclude(notices__phase=StormSessionNotice.Phase.CLOSED)
    ]  # fmt: skip
    sent = []
    for session, phase in due:
        with transaction.atomic():
            _, first_time = StormSessionNotice.objects.get_or_create(
                session=session, phase=phase, defaults={"created_at": now}
            )
            if not first_time:
                continue
            if phase == StormSessionNotice.Phase.OPEN:
                message = part(
                    gettext_noop("The Storm Session “%(title)s” is open until %(ends)s: %(theme)s"),
                    title=session.title, ends=day(timezone.localtime(session.ends_at).date()),
                    theme=session.theme,
                )  # fmt: skip
                audience = SESSION_OPEN
            else:
                message = part(
                    gettext_noop("The Storm Session “%(title)s” has closed: see what came of it."),
                    title=session.title,
                )
                audience = SESSION_CLOSED
            notification_send(
                idea=None, actor=None, kind=Notification.Kind.STORM_SESSION, message=[message],
                url=session.url or "/", audience=audience, params={"session_id": session.pk},
                now=now,
            )  # fmt: skip
            sent.append((session.pk, phase))
    return sent

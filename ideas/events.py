"""What the rest of the product hears when ideas change: live page updates and
notifications. Services call these inside their transaction; everything here
is delivered after commit (see realtime.api and community.notifications).

Fragments are rendered without a viewer, so they carry no per-person controls;
a reload shows those. For the same reason they, and the stored notification
texts, are written in the site's default language (LANGUAGE_CODE), whatever
language the person whose action caused them reads the site in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop
from voting.models import Vote

from community import pagecache
from community.cache import generation_next
from community.core import domain_events
from community.core.i18n import in_site_language
from community.models import Notification
from community.notifications import audiences
from community.notifications.services import notification_send
from community.notifications.texts import part
from ideas.choices import SHIPPED_STATUSES
from ideas.models import Comment, Follow, Idea, Status, StatusEvent
from ideas.selectors import LISTED_IDEAS
from realtime import api as realtime
from search import api as search

# Pages cached whole (the roadmap board) name this generation in their keys: a
# change to what they show (a status, an idea hidden, withdrawn or merged) starts
# a new one once it commits, so they are never read again. Counts and titles may
# lag by the cache's few seconds.
SHOWN_IDEAS = "ideas.shown"


def _shown_ideas_changed() -> None:
    transaction.on_commit(lambda: generation_next(SHOWN_IDEAS))


# Pages cached for visitors (community.pagecache) name these families: every list
# of ideas (the lists, shipped, the home page and other Wagtail pages), and each
# idea's own page. The idea page also names SHOWN_IDEAS (related ideas, a merge's
# survivor).
IDEA_LISTS = "pages.ideas"


def idea_page(idea_id: int) -> str:
    return f"pages.idea:{idea_id}"


def idea_pages_changed(idea_ids) -> None:
    """What these ideas show changed: the idea lists and their own pages are drawn
    again once it commits. `idea_changed` calls it; changes search never shows
    (a plain comment edited, a discussion locked) call it alone."""
    pagecache.pages_changed(IDEA_LISTS, *(idea_page(pk) for pk in idea_ids))


def idea_changed(idea_id: int, *, listed: bool = True) -> None:
    """An idea changed: its search document and every cached page showing it follow.

    `listed=False` says the lists hold the same ideas as before (a vote, a comment:
    only counts and order moved), so the lists' shared counts stay; by default they
    are counted again.
    """
    search.idea_changed(idea_id)
    _pages_and_counts([idea_id], listed=listed)


def ideas_changed(idea_ids, *, listed: bool = True) -> None:
    """`idea_changed` for many ideas at once."""
    idea_ids = list(idea_ids)
    search.ideas_changed(idea_ids)
    _pages_and_counts(idea_ids, listed=listed)


def _pages_and_counts(idea_ids: list[int], *, listed: bool) -> None:
    idea_pages_changed(idea_ids)
    if listed and idea_ids:
        _listed_changed()


def _listed_changed() -> None:
    transaction.on_commit(lambda: generation_next(LISTED_IDEAS))


def _followers(idea: Idea) -> list[int]:
    return list(Follow.objects.filter(idea=idea).values_list("user_id", flat=True))


# The listening feature asks these people to rate how well they were heard
# (ideas.listening.permissions holds who may rate; this is only the ask).
RATING_ASK = part(gettext_noop("How well did we listen to you? Rate it on the idea page."))
RATING_ASK_STATUSES = {
    Status.PLANNED, Status.NOT_PLANNED, Status.SHIPPED, Status.PARTIALLY_SHIPPED,
}  # fmt: skip


# What followers read when an idea's status changes: one whole sentence per status,
# so each language words it its own way.
STATUS_NEWS = {
    Status.NEW: gettext_noop("“%(title)s” is now new: %(message)s"),
    Status.UNDER_REVIEW: gettext_noop("“%(title)s” is now under review: %(message)s"),
    Status.PLANNED: gettext_noop("“%(title)s” is now planned: %(message)s"),
    Status.IN_PROGRESS: gettext_noop("“%(title)s” is now in progress: %(message)s"),
    Status.SHIPPED: gettext_noop("“%(title)s” is now shipped: %(message)s"),
    Status.PARTIALLY_SHIPPED: gettext_noop("“%(title)s” is now partially shipped: %(message)s"),
    Status.NOT_PLANNED: gettext_noop("“%(title)s” is now not planned: %(message)s"),
    Status.DUPLICATE: gettext_noop("“%(title)s” is now a duplicate: %(message)s"),
    Status.ARCHIVED: gettext_noop("“%(title)s” is now archived: %(message)s"),
}


def _voters(idea: Idea) -> set[int]:
    return set(
        Vote.objects.filter(
            content_type=ContentType.objects.get_for_model(Idea), object_id=str(idea.pk)
        ).values_list("user_id", flat=True)
    )


def _notify_with_rating_ask(
    *, idea: Idea, ask_author: bool = False, ask_voters: bool = False, **kwargs
) -> None:
    """Followers hear of it; those who may now rate also read the ask, and land on it.

    Who they are is worked out by the worker (`idea_followers` below), so the
    request writes one row however many follow the idea.
    """
    notification_send(
        idea=idea,
        audience=FOLLOWERS,
        params={"ask_author": ask_author, "ask_voters": ask_voters},
        **kwargs,
    )


FOLLOWERS = "idea.followers"


@audiences.register(FOLLOWERS)
def idea_followers(event) -> list[audiences.Group]:
    """The idea's followers now; the author (and voters) asked to rate get the ask."""
    idea = event.idea
    followers = set(_followers(idea))
    askers = {idea.author_id} if event.params.get("ask_author") else set()
    if event.params.get("ask_voters"):
        askers |= {idea.author_id} | _voters(idea)
    asked = followers & askers
    return [
        audiences.Group(
            asked, message=[*event.message, RATING_ASK], url=f"{idea.get_absolute_url()}#listening"
        ),
        audiences.Group(followers - asked),
    ]


# Promotes at which "vote.milestone" is published (once per idea and number).
VOTE_MILESTONES = (10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)


@in_site_language
def idea_created(idea: Idea) -> None:
    # Its first vote told search and the pages (`idea_changed`); the lists' counts grow.
    _listed_changed()
    domain_events.publish("idea.created", idea_id=idea.pk)
    realtime.staff_message(
        kind="idea_created",
        data={"id": idea.pk, "title": idea.title, "url": idea.get_absolute_url()},
    )


@in_site_language
def votes_changed(idea: Idea) -> None:
    if idea.promotes in VOTE_MILESTONES:
        domain_events.publish("vote.milestone", idea_id=idea.pk, milestone=idea.promotes)
    realtime.idea_counts(
        idea_id=idea.pk,
        data={
            "score": idea.score,
            "promotes": idea.promotes,
            "demotes": idea.demotes,
            "supporters": idea.supporters,
        },
    )


def _comment_html(comment: Comment) -> str:
    return render_to_string("ideas/includes/_comment.html", {"comment": comment})


def _pinned(idea_id: int) -> dict:
    """The pinned block as the idea page shows it now: the latest official response
    customers may read (the same rule as `selectors.idea_detail`), or none.

    Every event about a comment carries it, so a page (live or catching up) ends
    with what a reload would show; `pinned_html` "" means "no pinned block".
    """
    response = (
        Comment.objects.filter(
            idea_id=idea_id, is_official=True, deleted_at__isnull=True, hidden_at__isnull=True
        )
        .select_related("author")
        .order_by("-created_at", "-id")
        .first()
    )
    if response is None:
        return {"pinned_id": None, "pinned_html": ""}
    html = render_to_string("ideas/includes/_official_response.html", {"response": response})
    return {"pinned_id": response.pk, "pinned_html": html}


def _comment_now(comment: Comment, *, kind: str, comment_count: int | None = None) -> None:
    """Make stored events about a comment say what it shows now, then send one live event.

    The catch-up replays stored events to anyone who may see the idea, so an
    edited, removed or hidden comment (or official response) must not live on in
    them: the events that posted it, and any that pinned it, are rewritten from
    its current state. Fragments are rendered without a viewer, so a hidden
    comment shows its placeholder.
    """
    visible_official = comment.is_official and not comment.is_hidden and not comment.is_removed
    html = _comment_html(comment)
    pin = (
        render_to_string("ideas/includes/_official_response.html", {"response": comment})
        if visible_official
        else None
    )
    # The events that posted it: pinned while customers may read it, a plain comment otherwise.
    realtime.idea_events_rewrite(
        idea_id=comment.idea_id,
        comment_id=comment.pk,
        kind="official" if visible_official else "comment",
        html=html,
        data_updates={"pinned_id": comment.pk if pin else None, "pinned_html": pin},
    )
    # Later events that pinned it (say, the hiding of a newer response) pin what it says now.
    realtime.idea_events_update(
        idea_id=comment.idea_id,
        where={"pinned_id": comment.pk},
        data_updates={"pinned_html": pin or ""},
    )
    if comment_count is None:
        comment_count = Idea.objects.filter(pk=comment.idea_id).values_list(
            "comment_count", flat=True
        )[0]
    realtime.idea_event(
        idea_id=comment.idea_id,
        kind=kind,
        html="" if kind == "comment_removed" else html,
        data={"comment_id": comment.pk, "comment_count": comment_count, **_pinned(comment.idea_id)},
    )


@in_site_language
def comment_posted(comment: Comment, *, comment_count: int) -> None:
    idea = comment.idea
    html = _comment_html(comment)
    data = {
        "comment_id": comment.pk,
        "parent_id": comment.parent_id,
        "comment_count": comment_count,
        # For screen readers: the page announces who wrote what arrived.
        "author": comment.author.public_name,
    }
    if comment.is_official:
        domain_events.publish("official_response.posted", idea_id=idea.pk, comment_id=comment.pk)
        data["pinned_id"] = comment.pk
        data["pinned_html"] = render_to_string(
            "ideas/includes/_official_response.html", {"response": comment}
        )
        realtime.idea_event(idea_id=idea.pk, kind="official", html=html, data=data)
        # `idea` was read before this answer: the first answer asks its author to rate.
        first_answer = idea.first_staff_response_at is None
        _notify_with_rating_ask(
            ask_author=first_answer,
            idea=idea,
            actor=comment.author,
            kind=Notification.Kind.OFFICIAL_RESPONSE,
            message=[
                part(
                    gettext_noop("%(name)s (%(role)s) answered “%(title)s”"),
                    name=comment.author.public_name,
                    role=comment.author_role,
                    title=idea.title,
                )
            ],  # fmt: skip
            url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
            now=comment.created_at,
            comment=comment,
        )
        return
    domain_events.publish("comment.posted", idea_id=idea.pk, comment_id=comment.pk)
    realtime.idea_event(idea_id=idea.pk, kind="comment", html=html, data=data)
    if comment.parent_id and comment.parent.author_id != comment.author_id:
        notification_send(
            user_ids=[comment.parent.author_id],
            idea=idea,
            actor=comment.author,
            kind=Notification.Kind.REPLY,
            message=[
                part(
                    gettext_noop("%(name)s replied to your comment on “%(title)s”"),
                    name=comment.author.public_name,
                    title=idea.title,
                )
            ],  # fmt: skip
            url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
            now=comment.created_at,
            comment=comment,
        )


@in_site_language
def comment_edited(comment: Comment) -> None:
    """Open pages show the new text at once; stored events carry it, never the old one."""
    _comment_now(comment, kind="comment_edited")


@in_site_language
def comment_renamed(comment: Comment) -> None:
    """The author's public name changed (an account deleted, its content kept):
    stored events show the comment under the name it has now."""
    data = {"author": comment.author.public_name}
    if comment.is_official:
        data["pinned_html"] = render_to_string(
            "ideas/includes/_official_response.html", {"response": comment}
        )
    realtime.idea_events_rewrite(
        idea_id=comment.idea_id,
        comment_id=comment.pk,
        kind="official" if comment.is_official and not comment.is_hidden else "comment",
        html=render_to_string("ideas/includes/_comment.html", {"comment": comment}),
        data_updates=data,
    )


@in_site_language
def comment_removed(comment: Comment, *, comment_count: int) -> None:
    # A removed official response is replayed as a plain placeholder, unpinned.
    _comment_now(comment, kind="comment_removed", comment_count=comment_count)


@in_site_language
def status_changed(event: StatusEvent) -> None:
    domain_events.publish("idea.status_changed", idea_id=event.idea_id, status_event_id=event.pk)
    if event.to_status in SHIPPED_STATUSES:
        domain_events.publish("idea.shipped", idea_id=event.idea_id, status_event_id=event.pk)
    status_changed_live(event)
    idea = event.idea
    if not idea.is_published:
        return  # its followers can no longer see it
    # `idea` was read before the change: a first answer asks its author to rate,
    # a decision asks its author and voters.
    _notify_with_rating_ask(
        ask_author=idea.first_staff_response_at is None,
        ask_voters=event.to_status in RATING_ASK_STATUSES,
        idea=idea,
        actor=event.actor,
        kind=Notification.Kind.SHIPPED
        if event.to_status in SHIPPED_STATUSES
        else Notification.Kind.STATUS_CHANGE,
        message=[part(STATUS_NEWS[event.to_status], title=idea.title, message=event.message)],
        url=idea.get_absolute_url(),
        now=event.created_at,
    )


@in_site_language
def status_changed_live(event: StatusEvent) -> None:
    _shown_ideas_changed()
    idea = event.idea
    label = Status(event.to_status).label
    realtime.idea_event(
        idea_id=idea.pk,
        kind="status",
        html=render_to_string("ideas/includes/_timeline_item.html", {"event": event}),
        data={
            "status": event.to_status,
            "label": str(label),
            "badge_html": render_to_string(
                "ideas/includes/_status_badge.html", {"status": event.to_status, "label": label}
            ),
        },
    )


@in_site_language
def idea_merged(event: StatusEvent, *, into: Idea, notify_ids: set[int]) -> None:
    """The duplicate's page shows the merge live; its author, voters and followers hear of it.

    Unlike a status change, the audience is named here, not by the worker: the
    merge itself moves those votes and follows to `into`, so afterwards nothing
    says who supported the duplicate. The ids the merge already read are stored
    on the event's one row; the notifications and emails are still the worker's.
    """
    duplicate = event.idea
    domain_events.publish(
        "idea.merged", idea_id=duplicate.pk, status_event_id=event.pk, into_id=into.pk
    )
    status_changed_live(event)
    notification_send(
        user_ids=notify_ids,
        idea=duplicate,
        actor=event.actor,
        kind=Notification.Kind.MERGED,
        message=[
            part(
                gettext_noop(
                    "“%(title)s” was merged into “%(into)s”: your support now counts there."
                ),
                title=duplicate.title,
                into=into.title,
            )
        ],  # fmt: skip
        url=into.get_absolute_url(),
        now=event.created_at,
    )


@in_site_language
def idea_assigned(idea: Idea, *, owner, actor, now) -> None:
    """The staff member who now owns the idea's answer hears of it."""
    notification_send(
        user_ids=[owner.pk],
        idea=idea,
        actor=actor,
        kind=Notification.Kind.ASSIGNED,
        message=[
            part(
                gettext_noop("%(name)s assigned “%(title)s” to you."),
                name=actor.public_name,
                title=idea.title,
            )
        ],  # fmt: skip
        url=idea.get_absolute_url(),
        now=now,
    )


@in_site_language
def idea_overdue(idea: Idea, *, now) -> None:
    """The idea's owner hears once that it passed the response target unanswered."""
    notification_send(
        user_ids=[idea.owner_id],
        idea=idea,
        actor=None,
        kind=Notification.Kind.OVERDUE,
        message=[
            part(
                gettext_noop(
                    "“%(title)s” has waited longer than the response target for a first answer."
                ),
                title=idea.title,
            )
        ],
        url=idea.get_absolute_url(),
        now=now,
    )


@in_site_language
def idea_withdrawn(idea: Idea) -> None:
    _shown_ideas_changed()
    realtime.idea_event(idea_id=idea.pk, kind="withdrawn")


# --- Moderation (community.moderation) ------------------------------------------------


@in_site_language
def moderation_notice(*, user_id: int, idea: Idea, actor, message: list, url: str, now) -> None:
    """Tell an author what a moderator did to their idea or comment, and why."""
    notification_send(
        user_ids=[user_id],
        idea=idea,
        actor=actor,
        kind=Notification.Kind.MODERATION,
        message=message,
        url=url,
        now=now,
    )


@in_site_language
def idea_hidden(idea: Idea, *, actor, now, notify: bool = True) -> None:
    _shown_ideas_changed()
    # Customers' sockets close on this event (realtime.consumers.CLOSING_KINDS).
    realtime.idea_event(idea_id=idea.pk, kind="hidden")
    if notify:
        moderation_notice(
            user_id=idea.author_id,
            idea=idea,
            actor=actor,
            message=[
                part(
                    gettext_noop("A moderator hid your idea “%(title)s”: %(reason)s"),
                    title=idea.title,
                    reason=idea.moderation_reason,
                )
            ],  # fmt: skip
            url=idea.get_absolute_url(),
            now=now,
        )


@in_site_language
def idea_restored(idea: Idea, *, actor, now) -> None:
    _shown_ideas_changed()
    moderation_notice(
        user_id=idea.author_id,
        idea=idea,
        actor=actor,
        message=[
            part(
                gettext_noop(
                    "A moderator restored your idea “%(title)s”: everyone can see it again."
                ),
                title=idea.title,
            )
        ],
        url=idea.get_absolute_url(),
        now=now,
    )


@in_site_language
def comment_hidden(comment: Comment, *, actor, now, notify: bool = True) -> None:
    _comment_now(comment, kind="comment_hidden")
    if notify:
        moderation_notice(
            user_id=comment.author_id,
            idea=comment.idea,
            actor=actor,
            message=[
                part(
                    gettext_noop("A moderator hid your comment on “%(title)s”: %(reason)s"),
                    title=comment.idea.title,
                    reason=comment.hidden_reason,
                )
            ],  # fmt: skip
            url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
            now=now,
        )


@in_site_language
def comment_restored(comment: Comment, *, actor, now) -> None:
    _comment_now(comment, kind="comment_restored")
    moderation_notice(
        user_id=comment.author_id,
        idea=comment.idea,
        actor=actor,
        message=[
            part(
                gettext_noop("A moderator restored your comment on “%(title)s”."),
                title=comment.idea.title,
            )
        ],
        url=f"{comment.idea.get_absolute_url()}#comment-{comment.pk}",
        now=now,
    )

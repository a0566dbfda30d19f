"""Ideas, votes and comments: each operation is one selector or one service call."""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Query, Router, Schema, Status

from community.api import auth, pagination, present
from community.api.errors import Error
from community.api.schemas import (
    CommentIn,
    IdeaDetailOut,
    IdeaIn,
    IdeaOut,
    IdeaPage,
    IdeaPatch,
    PeriodName,
    SortName,
    StatusName,
    ThreadOut,
    ThreadPage,
    VoteIn,
    VoteOut,
)
from community.core.exceptions import InvalidInput
from community.permissions import audience_groups, can_see_hidden
from ideas import selectors, services
from ideas.models import Category
from ideas.querysets import SORTS, TOP_MERIT
from search import api as search
from search.results import SearchRequest

router = Router(tags=["ideas"])

ERRORS = {status: Error for status in (400, 401, 403, 404, 409, 429)}
SEARCH_SORTS = {None: "relevance", "top": "score", "new": "newest"}


class IdeaFilters(Schema):
    q: str | None = F(None, max_length=500, description="Search words (the site's search).")
    sort: SortName | None = F(None, description="Default hot; with `q`, relevance.")
    period: PeriodName = F("all", description="For sort=top: this week, month or year.")
    product_area: str | None = F(None, max_length=80, description="A product area's slug.")
    status: StatusName | None = None
    tag: str | None = F(None, max_length=60, description="A tag's slug.")
    storm_session: int | None = F(None, ge=1, le=2**31 - 1)
    cursor: str | None = F(None, max_length=500)
    limit: int = F(20, ge=1, le=100)


def _category(slug: str | None) -> Category | None:
    if not slug:
        return None
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        raise InvalidInput(_("That product area does not exist."))
    return category


def _category_by_id(pk: int) -> Category:
    category = Category.objects.filter(pk=pk).first()
    if category is None:
        raise InvalidInput(_("That product area does not exist."))
    return category


def _storm_session(pk: int | None, *, viewer):
    if pk is None:
        return None
    session = selectors.storm_session_live(pk=pk, viewer=viewer)
    if session is None:
        raise InvalidInput(_("That Storm Session does not exist."))
    return session


@router.get("/ideas", response={200: IdeaPage, **ERRORS}, auth=auth.public())
def idea_list(request, filters: Query[IdeaFilters]):
    """Ideas as the site lists them (hidden, withdrawn and merged ones only for staff)."""
    viewer = request.user
    category = _category(filters.product_area)
    session = _storm_session(filters.storm_session, viewer=viewer)
    if filters.q and filters.q.strip():
        return _search(request, filters, category=category, session=session)
    sort = filters.sort or "hot"
    ideas = selectors.idea_list(
        viewer=viewer,
        sort=sort,
        period=filters.period,
        category=category,
        status=filters.status,
        tag=filters.tag,
        storm_session=session,
        now=timezone.now(),
    )
    order = SORTS[sort]
    if sort == "top":  # a keyset needs a named value: the same merit "top" sorts by
        ideas, order = ideas.annotate(top_merit=TOP_MERIT), ("-top_merit", "-id")
    items, next_cursor = pagination.keyset_page(
        ideas, order=order, name=sort, cursor=filters.cursor, limit=filters.limit
    )
    return {"items": [present.idea(i, viewer=viewer) for i in items], "next_cursor": next_cursor}


def _search(request, filters: IdeaFilters, *, category, session) -> dict:
    page = 1
    if filters.cursor:
        payload = pagination.decode(filters.cursor)
        page = payload.get("p")
        if payload.get("o") != "search" or not isinstance(page, int) or not 1 < page <= 500:
            raise InvalidInput(pagination.BAD_CURSOR)
    if filters.sort not in SEARCH_SORTS:
        raise InvalidInput(_("With a search, sort by relevance (no sort), top or new."))
    query = " ".join(filters.q.split())[: settings.SEARCH_QUERY_MAX_LENGTH]
    results = search.search_ideas(
        SearchRequest(
            query=query,
            status=filters.status,
            category=category.slug if category else None,
            tag=filters.tag,
            storm_session=session.pk if session else None,
            sort=SEARCH_SORTS[filters.sort],
            page=page,
            include_hidden=can_see_hidden(request.user),
            audience=audience_groups(request.user),
        )
    )
    ids = [hit.id for hit in results.hits]
    # The hits are loaded through the same list selector, so its visibility rule holds too.
    loaded = {
        idea.pk: idea
        for idea in selectors.idea_list(viewer=request.user, now=timezone.now()).filter(pk__in=ids)
    }
    items = [present.idea(loaded[pk], viewer=request.user) for pk in ids if pk in loaded]
    more = page < min(results.pages, 500)
    return {
        "items": items,
        "next_cursor": pagination.encode({"o": "search", "p": page + 1}) if more else None,
        "search_backend": results.backend,
    }


def etagged(request, data: dict, schema) -> HttpResponse:
    """The JSON with a strong ETag; 304 when the caller already holds this version."""
    content = schema.model_validate(data).model_dump_json().encode()
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    matches = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in matches or "*" in matches:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie"
    return response


@router.get(
    "/ideas/{id:idea_id}", response={200: IdeaDetailOut, 304: None, **ERRORS}, auth=auth.public()
)
def idea_detail(request, idea_id: int):
    """One idea, with its latest official response and status history.

    Send the ETag back as `If-None-Match` to get a 304 when nothing changed.
    """
    detail = selectors.idea_detail(pk=idea_id, viewer=request.user)
    return etagged(request, present.idea_detail(detail, viewer=request.user), IdeaDetailOut)


def _idea_out(request, idea_id: int) -> dict:
    idea = selectors.idea_list(viewer=request.user, now=timezone.now()).filter(pk=idea_id).first()
    if idea is None:  # the author's own hidden or withdrawn idea
        idea = selectors.idea_detail(pk=idea_id, viewer=request.user).idea
    return present.idea(idea, viewer=request.user)


@router.post("/ideas", response={201: IdeaOut, **ERRORS}, auth=auth.member(auth.WRITE))
def idea_create(request, payload: IdeaIn):
    """Post an idea (into an open Storm Session if given). Sending it again returns the first."""
    idea = services.idea_create(
        author=request.user,
        title=payload.title,
        body=payload.body,
        category=_category_by_id(payload.product_area_id),
        tags=payload.tags,
        storm_session=_storm_session(payload.storm_session_id, viewer=request.user),
    )
    return Status(201, _idea_out(request, idea.pk))


@router.patch(
    "/ideas/{id:idea_id}", response={200: IdeaOut, **ERRORS}, auth=auth.member(auth.WRITE)
)
def idea_update(request, idea_id: int, payload: IdeaPatch):
    """Edit your idea: only within the edit window and before staff have answered."""
    idea = selectors.idea_for(pk=idea_id, viewer=request.user)
    services.idea_update(
        editor=request.user,
        idea_id=idea.pk,
        title=payload.title if payload.title is not None else idea.title,
        body=payload.body if payload.body is not None else idea.body,
        category=(
            _category_by_id(payload.product_area_id)
            if payload.product_area_id is not None
            else idea.category
        ),
        tags=payload.tags if payload.tags is not None else list(idea.tags.names()),
    )
    return _idea_out(request, idea.pk)


@router.post(
    "/ideas/{id:idea_id}/withdraw",
    response={200: IdeaOut, **ERRORS},
    auth=auth.member(auth.WRITE),
)
def idea_withdraw(request, idea_id: int):
    """Withdraw your published idea; nobody else sees it afterwards."""
    selectors.idea_for(pk=idea_id, viewer=request.user)
    idea = services.idea_withdraw(author=request.user, idea_id=idea_id)
    return present.idea(idea, viewer=request.user)  # nobody can list or open it now


def _vote(request, idea_id: int, value: int) -> dict:
    idea = selectors.idea_for(pk=idea_id, viewer=request.user)
    result = services.vote_cast(voter=request.user, idea_id=idea.pk, value=value)
    return {
        "idea_id": idea.pk,
        "value": result.value,
        "changed": result.changed,
        "promotes": result.idea.promotes,
        "demotes": result.idea.demotes,
        "score": result.idea.score,
    }


@router.put(
    "/ideas/{id:idea_id}/vote", response={200: VoteOut, **ERRORS}, auth=auth.member(auth.WRITE)
)
def vote_set(request, idea_id: int, payload: VoteIn):
    """Promote (+1), demote (-1) or withdraw (0) your one vote. Repeating it changes nothing."""
    return _vote(request, idea_id, payload.value)


@router.delete(
    "/ideas/{id:idea_id}/vote", response={200: VoteOut, **ERRORS}, auth=auth.member(auth.WRITE)
)
def vote_withdraw(request, idea_id: int):
    return _vote(request, idea_id, 0)


class ThreadFilters(Schema):
    cursor: str | None = F(None, max_length=500)
    limit: int = F(50, ge=1, le=100)


@router.get(
    "/ideas/{id:idea_id}/comments",
    response={200: ThreadPage, **ERRORS},
    auth=auth.public(),
    tags=["comments"],
)
def comment_list(request, idea_id: int, filters: Query[ThreadFilters]):
    """The discussion, oldest first: top-level comments with their replies.

    Removed and hidden comments keep their place with no text (staff read hidden text).
    """
    idea = selectors.idea_for(pk=idea_id, viewer=request.user)
    threads, next_cursor = pagination.keyset_page(
        selectors.idea_threads(idea=idea),
        order=("created_at", "id"),
        name="thread",
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {
        "items": [present.thread(top, viewer=request.user) for top in threads],
        "next_cursor": next_cursor,
    }


@router.post(
    "/ideas/{id:idea_id}/comments",
    response={201: ThreadOut, **ERRORS},
    auth=auth.member(auth.WRITE),
    tags=["comments"],
)
def comment_create(request, idea_id: int, payload: CommentIn):
    """Comment, or reply with `parent_id`. Sending it again returns the first."""
    idea = selectors.idea_for(pk=idea_id, viewer=request.user)
    comment = services.comment_create(
        author=request.user, idea_id=idea.pk, body=payload.body, parent_id=payload.parent_id
    )
    return Status(201, {**present.comment(comment, viewer=request.user), "replies": []})

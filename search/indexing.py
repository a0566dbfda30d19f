"""Writing idea documents: bulk sync from the outbox, rebuilds behind an alias.

Customers' searches read the alias `<prefix>_ideas`; a rebuild fills a new
physical index `<prefix>_ideas_<timestamp>` and swaps the alias atomically,
so searches keep working throughout.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags
from elasticsearch import NotFoundError
from elasticsearch.helpers import streaming_bulk

from ideas.models import Comment, Idea
from search.client import get_client
from search.documents import IdeaDocument, index_settings
from search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


def alias_name() -> str:
    return f"{settings.SEARCH_INDEX_PREFIX}_ideas"


def new_index_name() -> str:
    return f"{alias_name()}_{datetime.now(UTC):%Y%m%d%H%M%S%f}"


def create_index(name: str) -> None:
    get_client().indices.create(
        index=name,
        settings=index_settings(),
        mappings=IdeaDocument._doc_type.mapping.to_dict(),
    )


def indices_behind_alias() -> list[str]:
    try:
        return sorted(get_client().indices.get_alias(name=alias_name()))
    except NotFoundError:
        return []


def _ideas_with_relations(ids: Iterable[int] | None = None):
    ideas = Idea.objects.select_related("author", "category").prefetch_related("tags")
    return ideas if ids is None else ideas.filter(pk__in=list(ids))


def _latest_official_responses(idea_ids: list[int]) -> dict[int, str]:
    latest: dict[int, str] = {}
    responses = (
        Comment.objects.official()
        .filter(idea_id__in=idea_ids)
        .order_by("idea_id", "-created_at", "-id")
        .values_list("idea_id", "body")
    )
    for idea_id, body in responses:
        latest.setdefault(idea_id, body)
    return latest


def document_source(idea: Idea, official_response: str) -> dict:
    tags = [tag.name for tag in idea.tags.all()]
    return {
        "title": idea.title,
        "body": unescape(strip_tags(idea.body_html)),
        "tags": tags,
        "tags_text": tags,
        "category": idea.category.slug,
        "category_name": idea.category.name,
        "status": idea.status,
        "visibility": idea.visibility,
        "author_name": idea.author.public_name,
        "official_response": official_response,
        "score": idea.score,
        "supporters": idea.supporters,
        "comment_count": idea.comment_count,
        "storm_session": idea.storm_session_id,
        "created_at": idea.created_at,
        "last_activity_at": idea.last_activity_at,
        "url": idea.get_absolute_url(),
    }


def _actions(index: str, ideas: list[Idea]) -> Iterator[dict]:
    responses = _latest_official_responses([idea.pk for idea in ideas])
    for idea in ideas:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": idea.pk,
            "_source": document_source(idea, responses.get(idea.pk, "")),
        }


def _batches(queryset, size: int) -> Iterator[list[Idea]]:
    """Stream ideas by primary key, `size` at a time, holding one batch in memory."""
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk).order_by("pk")[:size])
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def _bulk(index: str, ideas: list[Idea], *, require_alias: bool = False) -> int:
    indexed = 0
    for ok, _result in streaming_bulk(
        get_client(),
        _actions(index, ideas),
        chunk_size=BATCH_SIZE,
        require_alias=require_alias,
        raise_on_error=True,
    ):
        indexed += ok
    return indexed


@dataclass
class RebuildReport:
    index: str
    documents: int
    removed: list[str]


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None):
    """Fill a new index from the database, then point the alias at it atomically."""
    client = get_client()
    index = new_index_name()
    create_index(index)
    # Fast bulk loading: no refreshes until the load is done.
    client.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
    total = Idea.objects.count()
    done = 0
    for batch in _batches(_ideas_with_relations(), batch_size):
        done += _bulk(index, batch)
        if progress:
            progress(done, total)
    client.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
    client.indices.refresh(index=index)
    # Few segments before it serves: faster searches, and no merging under load.
    client.options(request_timeout=600).indices.forcemerge(index=index, max_num_segments=1)

    old = indices_behind_alias()
    actions = [{"add": {"index": index, "alias": alias_name()}}]
    actions += [{"remove": {"index": name, "alias": alias_name()}} for name in old]
    client.indices.update_aliases(actions=actions)
    for name in old:
        client.indices.delete(index=name)
    # Changes committed while we were loading may have gone to the old index
    # only: apply what is queued, then compare with the database and repair.
    sync_pending()
    reconcile(fix=True)
    return RebuildReport(index=index, documents=done, removed=old)


def index_ideas(idea_ids: Iterable[int]) -> int:
    """Rewrite these ideas' documents in the live index (through the alias)."""
    ids = sorted(set(idea_ids))
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        ideas = list(_ideas_with_relations(chunk))
        # require_alias: never create an index by accident when none was built.
        written += _bulk(alias_name(), ideas, require_alias=True)
    return written


def sync_pending(*, limit: int = 5_000) -> int:
    """Apply queued updates; rows are removed only after Elasticsearch took them.

    Raises if Elasticsearch is unreachable: the rows stay for the next attempt.
    """
    synced = 0
    while True:
        rows = list(PendingIndexUpdate.objects.values_list("id", "idea_id")[:limit])
        if not rows:
            return synced
        synced += index_ideas(idea_id for _, idea_id in rows)
        # Only the rows read: one with a lower id may commit while we index.
        with transaction.atomic():
            PendingIndexUpdate.objects.filter(id__in=[row_id for row_id, _ in rows]).delete()


@dataclass
class IndexStatus:
    alias: str
    indices: list[str]
    documents: int
    database: int
    pending: int


def status() -> IndexStatus:
    indices = indices_behind_alias()
    documents = get_client().count(index=alias_name())["count"] if indices else 0
    return IndexStatus(
        alias=alias_name(),
        indices=indices,
        documents=documents,
        database=Idea.objects.count(),
        pending=PendingIndexUpdate.objects.count(),
    )


FIELDS_COMPARED = ["title", "status", "visibility", "score", "comment_count"]


def reconcile(*, fix: bool, batch_size: int = 1000) -> list[int]:
    """Find ideas whose document is missing or stale (and stray documents); repair them."""
    client = get_client()
    drifted: list[int] = []
    for batch in _batches(Idea.objects.only(*FIELDS_COMPARED, "pk"), batch_size):
        found = client.mget(
            index=alias_name(), ids=[idea.pk for idea in batch], source_includes=FIELDS_COMPARED
        )["docs"]
        by_id = {int(doc["_id"]): doc.get("_source") for doc in found if doc.get("found")}
        for idea in batch:
            source = by_id.get(idea.pk)
            if source is None or any(source.get(f) != getattr(idea, f) for f in FIELDS_COMPARED):
                drifted.append(idea.pk)
    strays = _stray_document_ids()
    if fix:
        index_ideas(drifted)
        for doc_id in strays:
            client.delete(index=alias_name(), id=doc_id, refresh=False)
        client.indices.refresh(index=alias_name())
    return drifted + strays


def _stray_document_ids() -> list[int]:
    """Documents whose idea no longer exists in the database."""
    client = get_client()
    strays: list[int] = []
    response = client.search(
        index=alias_name(), scroll="1m", size=1000, source=False, sort=["_doc"]
    )
    try:
        while hits := response["hits"]["hits"]:
            ids = [int(hit["_id"]) for hit in hits]
            known = set(Idea.objects.filter(pk__in=ids).values_list("pk", flat=True))
            strays += [doc_id for doc_id in ids if doc_id not in known]
            response = client.scroll(scroll_id=response["_scroll_id"], scroll="1m")
    finally:
        client.clear_scroll(scroll_id=response["_scroll_id"])
    return strays

"""Writing idea documents: bulk sync from the outbox, rebuilds behind an alias.

Customers' searches read the alias `<prefix>_ideas`; a rebuild fills a new
physical index `<prefix>_ideas_<timestamp>` and swaps the alias atomically,
so searches keep working throughout.
"""

import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape

from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags
from elasticsearch import NotFoundError
from elasticsearch.helpers import BulkIndexError, streaming_bulk

from ideas.models import Comment, Idea
from search.client import get_client
from search.documents import IdeaDocument, index_settings
from search.models import PendingIndexUpdate, SearchVersion

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
    ideas = Idea.objects.select_related("author", "category", "storm_session").prefetch_related(
        "tags"
    )
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
        "merit": idea.score - idea.ring_discount,
        "supporters": idea.supporters,
        "comment_count": idea.comment_count,
        "storm_session": idea.storm_session_id,
        "audience_group": idea.audience_group_id,
        "created_at": idea.created_at,
        "last_activity_at": idea.last_activity_at,
        "url": idea.get_absolute_url(),
    }


def _versions(idea_ids: list[int]) -> dict[int, int]:
    rows = SearchVersion.objects.filter(idea_id__in=idea_ids).values_list("idea_id", "version")
    return dict(rows)


def _documents(idea_ids: list[int]) -> list[tuple[int, int, dict]]:
    """(id, version, source) for each idea that exists, versions read first.

    Read before the idea's state, a version never claims a change the document
    lacks: a change committed in between only makes the document newer than its
    version, and that change's own queued update follows with a higher one.
    """
    versions = _versions(idea_ids)
    ideas = list(_ideas_with_relations(idea_ids).order_by("pk"))
    responses = _latest_official_responses([idea.pk for idea in ideas])
    return [
        (idea.pk, versions.get(idea.pk, 0), document_source(idea, responses.get(idea.pk, "")))
        for idea in ideas
    ]


def _actions(index: str, documents, *, version_type: str) -> Iterator[dict]:
    for idea_id, version, source in documents:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": idea_id,
            "_source": source,
            "version": version,
            "version_type": version_type,
        }


def _id_batches(queryset, size: int) -> Iterator[list[int]]:
    """Stream idea ids in primary-key order, `size` at a time."""
    last_pk = 0
    while True:
        ids = list(
            queryset.filter(pk__gt=last_pk).order_by("pk").values_list("pk", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last_pk = ids[-1]


def _bulk(index: str, documents, *, require_alias: bool = False, version_type="external") -> int:
    """Write documents; one refused because the index holds a newer version is not an error."""
    indexed, errors = 0, []
    for ok, result in streaming_bulk(
        get_client(),
        _actions(index, documents, version_type=version_type),
        chunk_size=BATCH_SIZE,
        require_alias=require_alias,
        raise_on_error=False,
    ):
        if ok:
            indexed += 1
        elif result.get("index", {}).get("status") != 409:  # 409: a newer document is there
            errors.append(result)
    if errors:
        raise BulkIndexError(f"{len(errors)} document(s) failed to index.", errors)
    return indexed


@dataclass
class RebuildReport:
    index: str
    documents: int
    removed: list[str]
    replayed: int = 0


def rebuild(*, batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None):
    """Fill a new index from the database, then point the alias at it atomically."""
    client = get_client()
    index = new_index_name()
    create_index(index)
    # Fast bulk loading: no refreshes until the load is done.
    client.indices.put_settings(index=index, settings={"refresh_interval": "-1"})
    total = Idea.objects.count()
    done = 0
    for ids in _id_batches(Idea.objects.all(), batch_size):
        done += _bulk(index, _documents(ids))
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
    if old:
        time.sleep(settings.SEARCH_OLD_INDEX_GRACE_SECONDS)  # searches in flight finish there
    for name in old:
        client.indices.delete(index=name)
    # Changes committed while we were loading went to the old index only (the
    # alias still named it): apply what is queued, then replay every idea whose
    # version moved on since its document was loaded, and anything else that
    # differs. Versions make the replay exact: it needs no clock.
    sync_pending()
    replayed = reconcile(fix=True)
    return RebuildReport(index=index, documents=done, removed=old, replayed=len(replayed))


def index_ideas(idea_ids: Iterable[int]) -> int:
    """Rewrite these ideas' documents in the live index (through the alias)."""
    ids = sorted(set(idea_ids))
    written = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        # require_alias: never create an index by accident when none was built.
        written += _bulk(alias_name(), _documents(chunk), require_alias=True)
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


def _as_stored(source: dict) -> dict:
    """A document as Elasticsearch returns it: JSON, dates as ISO 8601 (its serializer)."""
    return json.loads(json.dumps(source, default=lambda value: value.isoformat()))


def reconcile(*, fix: bool, batch_size: int = 500) -> list[int]:
    """Find ideas whose document is missing, older than the idea's version or different
    in any field (and stray documents); with `fix`, rewrite them.

    The whole document is compared, not a few fields: a body, tag, product area,
    author name or official response that drifted is found too.
    """
    client = get_client()
    drifted: list[int] = []
    for ids in _id_batches(Idea.objects.all(), batch_size):
        documents = _documents(ids)
        found = client.mget(index=alias_name(), ids=ids)["docs"]
        stored = {int(doc["_id"]): doc for doc in found if doc.get("found")}
        for idea_id, version, source in documents:
            doc = stored.get(idea_id)
            if (
                doc is None
                or doc.get("_version", 0) < version
                or doc.get("_source") != _as_stored(source)
            ):
                drifted.append(idea_id)
    strays = _stray_document_ids()
    if fix:
        for start in range(0, len(drifted), BATCH_SIZE):
            # external_gte: a repair may rewrite a document at the version it has.
            _bulk(
                alias_name(),
                _documents(drifted[start : start + BATCH_SIZE]),
                require_alias=True,
                version_type="external_gte",
            )
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

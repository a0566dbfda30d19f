"""Product teams tidy the tags: rename one, or merge several into one (both audited)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from taggit.models import Tag, TaggedItem

from community.audit import Action, audit_record
from community.core.exceptions import InvalidInput, NotAllowed
from ideas.events import ideas_changed
from ideas.models import Idea


def _idea_ids(tag_ids) -> set[int]:
    return set(
        TaggedItem.objects.filter(
            tag_id__in=tag_ids, content_type=ContentType.objects.get_for_model(Idea)
        ).values_list("object_id", flat=True)
    )


@transaction.atomic
def tag_rename(*, actor, tag_id: int, name: str) -> Tag:
    """A new name (and slug) for a tag; its ideas' search documents follow."""
    if not actor.has_perm("taggit.change_tag"):
        raise NotAllowed(_("Only product managers and community managers can edit tags."))
    name = (name or "").strip()
    if not name or len(name) > 30:
        raise InvalidInput(_("A tag's name is 1 to 30 characters long."))
    tag = Tag.objects.select_for_update().filter(pk=tag_id).first()
    if tag is None:
        raise InvalidInput(_("That tag does not exist."))
    if Tag.objects.filter(name__iexact=name).exclude(pk=tag.pk).exists():
        raise InvalidInput(_("Another tag is called that already: merge them instead."))
    before = {"name": tag.name, "slug": tag.slug}
    tag.name, tag.slug = name, slugify(name)
    tag.save()
    audit_record(
        actor=actor, action=Action.TAG_RENAME, target=tag, now=timezone.now(),
        before=before, after={"name": tag.name, "slug": tag.slug},
    )  # fmt: skip
    ideas_changed(_idea_ids([tag.pk]))
    return tag


@transaction.atomic
def tag_merge(*, actor, tag_ids: list[int], into_id: int) -> int:
    """Move every idea tagged with any of `tag_ids` to the tag `into_id`, then delete them.

    An idea that already has the target tag keeps one copy. The tags' rows are
    locked, so two merges of the same tags wait for each other. Returns how many
    ideas were re-tagged.
    """
    if not (actor.has_perm("taggit.change_tag") and actor.has_perm("taggit.delete_tag")):
        raise NotAllowed(_("Only product managers and community managers can merge tags."))
    sources = set(tag_ids) - {into_id}
    if not sources:
        raise InvalidInput(_("Choose at least one other tag to merge into it."))
    locked = list(Tag.objects.select_for_update().filter(pk__in=[*sources, into_id]))
    if len(locked) != len(sources) + 1:
        raise InvalidInput(_("One of those tags does not exist."))
    idea_type = ContentType.objects.get_for_model(Idea)
    affected = _idea_ids(sources)
    already = set(
        TaggedItem.objects.filter(tag_id=into_id, content_type=idea_type).values_list(
            "object_id", flat=True
        )
    )
    moving = TaggedItem.objects.filter(tag_id__in=sources)
    # One row per (tag, object): drop the duplicates first, then move the rest.
    moving.filter(content_type=idea_type, object_id__in=already).delete()
    seen: set[tuple[int, int]] = set()
    for item in moving.order_by("pk"):
        key = (item.content_type_id, item.object_id)
        if key in seen:
            item.delete()
        else:
            seen.add(key)
    TaggedItem.objects.filter(tag_id__in=sources).update(tag_id=into_id)
    Tag.objects.filter(pk__in=sources).delete()
    into = next(tag for tag in locked if tag.pk == into_id)
    audit_record(
        actor=actor, action=Action.TAG_MERGE, target=into, now=timezone.now(),
        before={"tags": sorted(tag.name for tag in locked if tag.pk in sources)},
        after={"into": into.name, "ideas_retagged": len(affected)},
    )  # fmt: skip
    ideas_changed(affected)
    return len(affected)

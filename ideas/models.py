from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.deletion import SET_NULL, ProtectedError
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from community import pagecache
from ideas.choices import DECIDED_STATUSES, SHIPPED_STATUSES, Status, Visibility  # noqa: F401 (re-exported)
from ideas.querysets import CommentQuerySet, IdeaQuerySet


def leave_the_session_unless_limited(collector, field, sub_objs, using):
    """A deleted Storm Session's ideas stay, in no session (SET_NULL), unless it is limited
    to a group: out of it they would show to everyone, so the delete is refused.
    (`cms.wagtail_hooks` tells the editor first.)"""
    kept_private = list(Idea.objects.using(using).filter(pk__in=sub_objs).in_a_limited_session())
    if kept_private:
        raise ProtectedError(
            "A Storm Session limited to a group keeps its ideas private: unpublish it instead.",
            set(kept_private),
        )
    SET_NULL(collector, field, sub_objs, using)


class Category(models.Model):
    """A product area: every idea belongs to one."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=240, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Who in the company answers for the area: a team (a group), and the person
    # new ideas in it go to until triage assigns someone else.
    owner_team = models.ForeignKey(
        "auth.Group",
        verbose_name=_("owner team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    default_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("New ideas in this area are assigned to this member of staff."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("product area")
        verbose_name_plural = _("product areas")

    def __str__(self) -> str:
        return self.name


class StatusLabel(models.Model):
    """How the site names a status and explains it, as the product team words it.

    One row per status code, edited in the Wagtail admin; a status without a row
    (or with an empty label) uses its built-in, translated name.
    """

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, unique=True)
    label = models.CharField(_("label"), max_length=40, blank=True)
    help_text = models.CharField(
        _("help text"),
        max_length=200,
        blank=True,
        help_text=_("Shown when someone points at the status, e.g. what “Planned” promises."),
    )

    class Meta:
        ordering = ["status"]
        verbose_name = _("status label")
        verbose_name_plural = _("status labels")

    def __str__(self) -> str:
        return self.label or str(Status(self.status).label)

    CACHE_KEY = "ideas:status-labels:v1"

    def save(self, *args, **kwargs):
        """Saves, and drops the cached labels once the save commits (the cache's
        own bookkeeping: `ideas.status_labels` reads through it), and the cached pages,
        which show them, whichever process saved (not only the admin's snippet hook)."""
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: cache.delete(self.CACHE_KEY))
        pagecache.site_changed()


class Idea(models.Model):
    title = models.CharField(max_length=140)
    slug = models.SlugField(max_length=160, allow_unicode=False)
    body = models.TextField(help_text=_("Markdown, as the author wrote it."))
    body_html = models.TextField(help_text=_("The body rendered and sanitised when saved."))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="ideas")
    tags = TaggableManager(blank=True)
    # The tag rows themselves, for one-query prefetching in lists (taggit's
    # own prefetch builds a query per idea).
    tagged_items = GenericRelation(TaggedItem)
    storm_session = models.ForeignKey(
        "cms.StormSessionPage",
        on_delete=leave_the_session_unless_limited,
        null=True,
        blank=True,
        related_name="ideas",
        help_text=_("The Storm Session the idea was submitted to, if any."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.PUBLISHED
    )

    # Denormalised counters, moved only by services in the same transaction as
    # the rows they count (see `manage.py repair_idea_counters`).
    promotes = models.PositiveIntegerField(default=0)
    demotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Net votes from suspected voting rings awaiting a moderator (see ideas.services.rings):
    # they count on the idea page, but triage merit and the "top" sort leave them out.
    ring_discount = models.IntegerField(default=0)
    # Time-ordered rank for the "hot" sort; see ideas.ranking.
    hot = models.FloatField(default=0.0)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    first_staff_response_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    # Triage: who in the company owns the answer (the product area is `category`).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_ideas",
    )
    # Set when the idea was merged into another as a duplicate.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    # Moderation: a locked thread takes no comments; a hidden idea shows its author why.
    locked_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.CharField(max_length=300, blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score=F("promotes") - F("demotes")), name="idea_score_is_net_votes"
            ),
        ]
        indexes = [
            models.Index(fields=["visibility", "-hot"], name="idea_hot"),
            models.Index(
                F("visibility"), (F("score") - F("ring_discount")).desc(), name="idea_top_merit"
            ),
            models.Index(fields=["visibility", "-created_at"], name="idea_new"),
            models.Index(fields=["visibility", "-comment_count"], name="idea_discussed"),
            models.Index(fields=["visibility", "-last_activity_at"], name="idea_active"),
            models.Index(fields=["status", "visibility"], name="idea_status"),
            # The roadmap's columns: most supported first, and the recently shipped.
            models.Index(
                fields=["status", "-promotes", "-id"],
                condition=Q(visibility="published"),
                name="idea_roadmap_support",
            ),
            models.Index(
                fields=["category", "status", "-promotes", "-id"],
                condition=Q(visibility="published"),
                name="idea_roadmap_area_support",
            ),
            models.Index(
                fields=["-status_changed_at", "-id"],
                condition=Q(visibility="published", status__in=SHIPPED_STATUSES),
                name="idea_recently_shipped",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(first_staff_response_at__isnull=True, visibility="published"),
                name="idea_awaiting_answer",
            ),
        ]
        permissions = [
            ("triage_idea", "Can use the triage inbox, the overdue board and staff figures"),
            ("respond_idea", "Can post official responses"),
            ("set_idea_status", "Can change an idea's status"),
            ("assign_idea", "Can assign an idea's owner and product area"),
            ("merge_idea", "Can merge duplicate ideas"),
            ("view_hidden_idea", "Can see hidden and withdrawn ideas"),
            ("moderate_idea", "Can hide, restore, edit and lock ideas and comments"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.pk, "slug": self.slug})

    @property
    def supporters(self) -> int:
        """Distinct members promoting the idea (one vote per member per idea)."""
        return self.promotes

    @property
    def is_published(self) -> bool:
        return self.visibility == Visibility.PUBLISHED

    @property
    def is_visible_to_customers(self) -> bool:
        """Published and not merged away: the rule `IdeaQuerySet.visible_to_customers` spells."""
        return self.visibility == Visibility.PUBLISHED and self.status != Status.DUPLICATE

    @property
    def audience_group_id(self) -> int | None:
        """The group its Storm Session is limited to, or None: everyone may see it.

        The rule `IdeaQuerySet.for_audience` filters on (`querysets.AUDIENCE`);
        readers ask `community.permissions.in_audience(user, idea.audience_group_id)`.
        """
        return self.storm_session.restricted_to_id if self.storm_session_id else None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_shipped(self) -> bool:
        return self.status in SHIPPED_STATUSES

    @property
    def tag_list(self) -> list:
        """The idea's tags: prefetched by the card selectors, else one query."""
        if hasattr(self, "tag_rows"):
            return [row.tag for row in self.tag_rows]
        return list(self.tags.all())

    def make_slug(self) -> str:
        return slugify(self.title)[:160] or "idea"


class IdeaRevision(models.Model):
    """The title and body an idea had before an edit."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=140)
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Revision of #{self.idea_id} at {self.created_at:%Y-%m-%d %H:%M}"


class StatusEvent(models.Model):
    """One status change: who, when, from, to, and the public explanation."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    message = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        # The roadmap's feed: the latest changes first, read until it has enough.
        indexes = [models.Index(fields=["-created_at", "-id"], name="status_event_recent")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="status_event_changes_status"
            ),
            models.CheckConstraint(condition=~Q(message=""), name="status_event_has_message"),
        ]

    def __str__(self) -> str:
        return f"#{self.idea_id}: {self.from_status} → {self.to_status}"


class Comment(models.Model):
    """A comment, a reply (one level deep), or a staff member's official response."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.TextField()
    body_html = models.TextField()
    is_official = models.BooleanField(default=False)
    # The responder's role when they answered, as shown beside the response.
    author_role = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Hidden by a moderator: others see a placeholder, the author sees the reason.
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=300, blank=True)
    # An official response posted although it resembled an earlier one: the
    # writer saw the warning and chose to post.
    near_copy_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    near_copy_similarity = models.FloatField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["idea", "created_at"], name="comment_thread"),
            models.Index(
                fields=["idea", "-created_at"],
                condition=Q(is_official=True),
                name="comment_official",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(is_official=False),
                name="official_response_is_top_level",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment #{self.pk} on idea #{self.idea_id}"

    @property
    def is_removed(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class CommentRevision(models.Model):
    """The text a comment had before an author or moderator edited it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revision of comment #{self.comment_id}"


class Follow(models.Model):
    """A member who hears about an idea's responses and status changes."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="follow_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows #{self.idea_id}"


class VoteRing(models.Model):
    """New accounts that voted together on the same ideas within minutes: suspected brigading.

    Their votes still count on the idea page; triage merit and the "top" sort
    discount them (`Idea.ring_discount`) while the ring is suspected or confirmed.
    A moderator's review clears it (the votes count again) or confirms it.
    """

    class State(models.TextChoices):
        SUSPECTED = "suspected", _("Suspected, awaiting review")
        CONFIRMED = "confirmed", _("Confirmed by a moderator")
        CLEARED = "cleared", _("Cleared by a moderator")

    state = models.CharField(max_length=10, choices=State.choices, default=State.SUSPECTED)
    detected_at = models.DateTimeField()
    # What the detector saw: the ideas, the vote times and the sign-up window.
    evidence = models.JSONField(default=dict)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="VoteRingMember", related_name="vote_rings"
    )

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["state", "-detected_at"], name="vote_ring_state")]

    def __str__(self) -> str:
        return f"Vote ring #{self.pk} ({self.state})"

    @property
    def is_discounted(self) -> bool:
        return self.state in DISCOUNTED_RING_STATES


DISCOUNTED_RING_STATES = [VoteRing.State.SUSPECTED, VoteRing.State.CONFIRMED]


class VoteRingMember(models.Model):
    ring = models.ForeignKey(VoteRing, on_delete=models.CASCADE, related_name="memberships")
    # An account belongs to one ring at most: a reviewed account is not flagged again.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vote_ring_membership"
    )

    def __str__(self) -> str:
        return f"{self.user_id} in ring #{self.ring_id}"


# Listening's models live with the feature; importing them here registers them
# with this app (label "ideas").
from ideas.listening.models import ListeningRating  # noqa: E402, F401


class VoteChange(models.Model):
    """One change of a member's vote on an idea (a promote, a demote or a withdrawal).

    django-voting keeps only the current vote, so promoting and withdrawing over
    and over leaves no trace there; the hourly vote limit counts these rows
    instead (`ideas.services.limits.vote_check`).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    value = models.SmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="vote_change_by_member")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.value:+d} on {self.idea_id}"

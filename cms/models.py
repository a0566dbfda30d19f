"""Wagtail pages: the home page, Ideas in Action stories, Storm Sessions and
standard pages (guidelines, FAQ, about)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet

from cms.blocks import PAGE_BLOCKS, STORY_BLOCKS
from cms.choosers import idea_chooser_viewset
from community.permissions import audience_groups, audience_q, in_audience


class HomePage(Page):
    """The community's front door: what it is for, live figures, and a way in."""

    hero_heading = models.CharField(max_length=120, default="Your ideas shape what we build next.")
    hero_text = models.TextField(
        blank=True,
        default=(
            "Share an idea, promote the ones you want, and talk with the people who "
            "build the product. Every idea gets a human answer, and you can follow it "
            "all the way to shipped."
        ),
    )
    body = RichTextField(blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import home_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_page_context(request))
        return context


class StandardPage(Page):
    """Community guidelines, FAQ, about: editable prose."""

    intro = models.TextField(blank=True)
    body = StreamField(PAGE_BLOCKS, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]


class SectionIndexPage(Page):
    """A top-level section with an introduction; one of each kind per site."""

    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


class StoryIndexPage(SectionIndexPage):
    """Ideas in Action: the stories of what shipped."""

    subpage_types = ["cms.StoryPage"]

    class Meta:
        verbose_name = "Ideas in Action index"

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import stories_listed

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = (
            stories_listed(request).child_of(self).select_related("hero_image")
            .order_by("-first_published_at")
        )  # fmt: skip
        return context


class StoryPage(Page):
    """An Ideas in Action story: what shipped, and the customer ideas behind it."""

    summary = models.TextField(max_length=300, help_text=_("One or two sentences for lists."))
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(STORY_BLOCKS)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel(
            "story_ideas",
            label=_("Shipped ideas this story tells"),
            help_text=_("Only shipped or partially shipped ideas can be linked."),
        ),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Ideas in Action story"

    def published_ideas(self):
        """The linked ideas customers may still see (an idea can be withdrawn later)."""
        from ideas.models import Idea

        return (
            Idea.objects.published()
            .filter(story_links__story=self)
            .order_by("story_links__sort_order")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # An idea of a Storm Session limited to a group is named only to that group.
        context["story_ideas"] = self.published_ideas().for_audience(request.user)
        return context


class StoryIdea(Orderable):
    story = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="story_ideas")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="story_links")

    panels = [FieldPanel("idea", widget=idea_chooser_viewset.widget_class)]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["story", "idea"], name="story_links_idea_once"),
        ]

    def __str__(self) -> str:
        return f"{self.story_id} tells #{self.idea_id}"

    def clean(self):
        from ideas.models import SHIPPED_STATUSES

        idea = getattr(self, "idea", None)
        if idea is not None and idea.status not in SHIPPED_STATUSES:
            raise ValidationError(
                {
                    "idea": f"“{idea.title}” is {idea.get_status_display().lower()}: "
                    "a story can only link shipped or partially shipped ideas."
                }
            )


class StoryAnnouncement(models.Model):
    """That the followers of a story's ideas were told about it: at most once.

    Kept outside the page, whose fields each published revision rewrites.
    """

    story = models.OneToOneField(StoryPage, on_delete=models.CASCADE, related_name="announcement")
    announced_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Story {self.story_id} announced"


class StormSessionIndexPage(SectionIndexPage):
    """The Storm Sessions: open, coming up and closed."""

    subpage_types = ["cms.StormSessionPage"]

    class Meta:
        verbose_name = "Storm Sessions index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sessions = (
            StormSessionPage.objects.live()
            .for_audience(request.user)
            .child_of(self)
            .order_by("-starts_at")
        )
        now = timezone.now()
        context["open_sessions"] = [s for s in sessions if s.is_open(now)]
        context["upcoming_sessions"] = [s for s in sessions if now < s.starts_at]
        context["closed_sessions"] = [s for s in sessions if s.ends_at <= now]
        return context


class StormSessionQuerySet(PageQuerySet):
    def for_audience(self, user):
        """Leaves out the sessions limited to a group `user` is not in (staff see all).

        The rule is `community.permissions.audience_groups`; a session's ideas
        follow it (`IdeaQuerySet.for_audience`), one session asks `admits`.
        """
        condition = audience_q(audience_groups(user), "restricted_to")
        return self if condition is None else self.filter(condition)


class StormSessionPage(Page):
    """A time-boxed idea campaign on one theme, sponsored by a product area.

    It can be limited to one group of members (beta testers, say): then only
    they and staff see the session and its ideas, anywhere; to everyone else
    neither exists (404).
    """

    class VotingPolicy(models.TextChoices):
        CONTINUES = "continues", _("Voting continues after the session closes")
        CLOSES = "closes", _("Voting closes with the session")

    theme = models.CharField(max_length=140)
    prompt = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    product_area = models.ForeignKey(
        "ideas.Category", on_delete=models.PROTECT, related_name="storm_sessions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    voting_policy = models.CharField(
        max_length=12, choices=VotingPolicy.choices, default=VotingPolicy.CONTINUES
    )
    # PROTECT: deleting the group must not open the session and its ideas to everyone.
    restricted_to = models.ForeignKey(
        "auth.Group",
        verbose_name=_("only for the group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Only members of this group (and staff) see the session and its ideas; "
            "to everyone else they do not exist. Leave empty for everyone."
        ),
    )

    objects = PageManager.from_queryset(StormSessionQuerySet)()

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("prompt"),
        FieldPanel("product_area"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("voting_policy"),
            ],
            heading="When",
        ),
        FieldPanel("restricted_to", heading=_("Who can see it")),
    ]
    parent_page_types = ["cms.StormSessionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "Storm Session"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="storm_session_ends_after_start",
            ),
        ]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The session must end after it starts."})

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.live and self.starts_at <= now < self.ends_at

    def takes_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return now < self.ends_at or self.voting_policy == self.VotingPolicy.CONTINUES

    def admits(self, user) -> bool:
        """Whether `user` may see the session (`StormSessionQuerySet.for_audience`'s rule)."""
        return in_audience(user, self.restricted_to_id)

    def serve(self, request, *args, **kwargs):
        if not self.admits(request.user):
            raise Http404("No such page.")
        return super().serve(request, *args, **kwargs)

    def get_sitemap_urls(self, request=None):
        # The sitemap is for anyone: a session limited to a group is not in it.
        return [] if self.restricted_to_id else super().get_sitemap_urls(request)

    def get_context(self, request, *args, **kwargs):
        from cms.selectors import storm_session_context

        context = super().get_context(request, *args, **kwargs)
        context.update(storm_session_context(session=self, request=request))
        return context


class StormSessionNotice(models.Model):
    """That members were told a Storm Session opened, or closed: once per session and phase.

    Written with the notification event in one transaction by the scheduler
    (`cms.services.storm_session_notices_send`); unique, so a second
    scheduler or a rerun tells nobody twice.
    """

    class Phase(models.TextChoices):
        OPEN = "open", "Opened"
        CLOSED = "closed", "Closed"

    session = models.ForeignKey(StormSessionPage, on_delete=models.CASCADE, related_name="notices")
    phase = models.CharField(max_length=6, choices=Phase.choices)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "phase"], name="storm_session_notice_once"),
        ]

    def __str__(self) -> str:
        return f"Session {self.session_id} {self.phase}"

"""The admin-editable community settings (one row, `wagtail.contrib.settings`)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from community import configuration

OVERRIDES = [
    "response_target_hours",
    "idea_edit_window_minutes",
    "comment_edit_window_minutes",
    "rate_limit_idea",
    "rate_limit_idea_new",
    "rate_limit_comment",
    "rate_limit_comment_new",
    "rate_limit_vote",
    "rate_limit_vote_new",
    "rate_limit_flag",
    "rate_limit_flag_new",
    "near_copy_threshold",
]


@register_setting(icon="cog")
class CommunitySettings(BaseGenericSetting):
    """What a product team tunes without a deploy. Read it through
    `community.configuration.current()`, never directly."""

    response_target_hours = models.PositiveIntegerField(
        _("response target (hours)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Every published idea should have a first staff answer within this time. "
            "Empty: the deployment's default."
        ),
    )
    idea_edit_window_minutes = models.PositiveIntegerField(
        _("idea edit window (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "How long after posting an author may edit an idea. Empty: the deployment's default."
        ),
    )
    comment_edit_window_minutes = models.PositiveIntegerField(
        _("comment edit window (minutes)"),
        null=True,
        blank=True,
        help_text=_(
            "How long after posting an author may edit a comment. Empty: the deployment's default."
        ),
    )
    rate_limit_idea = models.PositiveIntegerField(_("ideas per hour"), null=True, blank=True)
    rate_limit_idea_new = models.PositiveIntegerField(
        _("ideas per hour, new accounts"), null=True, blank=True
    )
    rate_limit_comment = models.PositiveIntegerField(_("comments per hour"), null=True, blank=True)
    rate_limit_comment_new = models.PositiveIntegerField(
        _("comments per hour, new accounts"), null=True, blank=True
    )
    rate_limit_vote = models.PositiveIntegerField(_("votes per hour"), null=True, blank=True)
    rate_limit_vote_new = models.PositiveIntegerField(
        _("votes per hour, new accounts"), null=True, blank=True
    )
    rate_limit_flag = models.PositiveIntegerField(_("flags per hour"), null=True, blank=True)
    rate_limit_flag_new = models.PositiveIntegerField(
        _("flags per hour, new accounts"), null=True, blank=True
    )
    near_copy_threshold = models.FloatField(
        _("near-copy threshold"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=_(
            "How alike (0–1) an official response may be to an earlier one before its "
            "writer is warned. Empty: the deployment's default."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("response_target_hours"),
                FieldPanel("near_copy_threshold"),
            ],
            heading=_("Answers"),
        ),
        MultiFieldPanel(
            [FieldPanel("idea_edit_window_minutes"), FieldPanel("comment_edit_window_minutes")],
            heading=_("Edit windows"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in OVERRIDES if name.startswith("rate_limit_")],
            heading=_("Rate limits (per member per hour; staff are exempt)"),
        ),
    ]

    class Meta:
        verbose_name = _("community settings")
        verbose_name_plural = _("community settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def overrides(self) -> dict:
        return {name: getattr(self, name) for name in OVERRIDES}

    def save(self, *args, **kwargs):
        """Saves, and drops the cached copy once the save commits (not a domain
        side effect: the cache's own bookkeeping, kept beside what it caches)."""
        super().save(*args, **kwargs)
        transaction.on_commit(configuration.forget)

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The community's front door: what it is for, and a way in."""

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

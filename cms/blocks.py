from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import idea_chooser_viewset

IdeaChooserBlock = idea_chooser_viewset.get_block_class(
    name="IdeaChooserBlock", module_path="cms.blocks"
)


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False)

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"


class IdeaCardBlock(blocks.StructBlock):
    idea = IdeaChooserBlock()
    note = blocks.CharBlock(required=False, help_text=_("Optional line about the idea."))

    class Meta:
        icon = "pick"
        template = "cms/blocks/idea_card_block.html"


STORY_BLOCKS = [
    (
        "paragraph",
        blocks.RichTextBlock(features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]),
    ),
    ("image", ImageBlock()),
    ("quote", QuoteBlock()),
    ("idea", IdeaCardBlock()),
]

PAGE_BLOCKS = [
    ("heading", blocks.CharBlock(form_classname="title", template="cms/blocks/heading_block.html")),
    ("paragraph", blocks.RichTextBlock(features=["h3", "bold", "italic", "link", "ol", "ul"])),
    ("quote", QuoteBlock()),
]

"""Markdown to safe HTML, for everything members write.

markdown-it renders CommonMark with raw HTML turned off (so `<script>` stays
text); nh3 then keeps only an allow-list of tags and attributes, drops event
handlers and any link scheme but http, https and mailto, and marks links as
untrusted.
"""

import nh3
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener"


def render_markdown(text: str) -> str:
    html = _renderer.render(text)
    # Headings members write are demoted so they never outrank the page's own.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )

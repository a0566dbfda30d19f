"""`{% personal_include %}`: a template that is the reader's own, as a page-cache slot."""

from django import template

from community import pagecache

register = template.Library()


@register.simple_tag(takes_context=True)
def personal_include(context, template_name: str):
    """Include `template_name`; in a copy drawn for the shared cache it is a slot, drawn
    again for a member served that copy (`community.pagecache.template_slot`)."""
    included = context.template.engine.get_template(template_name)
    with context.push():
        html = included.render(context)
    return pagecache.template_slot(context.get("request"), template_name, html)

from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The home page's children that editors marked "show in menus", in tree order."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return site.root_page.get_children().live().in_menu().specific(defer=True)


@register.simple_tag(takes_context=True)
def footer_pages(context):
    """Guidelines, FAQ, about: the standard pages under the home page."""
    from cms.models import StandardPage

    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return StandardPage.objects.live().child_of(site.root_page)

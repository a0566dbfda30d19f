"""What ideas are filed under, and the public figures: product areas, tags, Storm Sessions."""

from django.utils import timezone
from ninja import Router

from cms import selectors as cms_selectors
from community.api import auth, present
from community.api.errors import Error
from community.api.schemas import ProductAreaOut, PublicFiguresOut, StormSessionOut, TagOut
from ideas import selectors

router = Router(tags=["catalog"])
READ_ERRORS = {401: Error, 403: Error, 429: Error}


@router.get(
    "/product-areas", response={200: list[ProductAreaOut], **READ_ERRORS}, auth=auth.public()
)
def product_area_list(request):
    """Every product area (a short list, so not paginated)."""
    return [present.product_area(area) for area in selectors.product_areas()]


@router.get("/tags", response={200: list[TagOut], **READ_ERRORS}, auth=auth.public())
def tag_list(request):
    """The 200 most used tags on ideas customers can see."""
    return selectors.tags_in_use(viewer=request.user, limit=200)


@router.get(
    "/storm-sessions", response={200: list[StormSessionOut], **READ_ERRORS}, auth=auth.public()
)
def storm_session_list(request):
    """Every published Storm Session the caller may see, the latest first, with whether
    it is open now (a session limited to a group is listed to that group and staff)."""
    now = timezone.now()
    return [
        {
            "id": session.pk,
            "title": session.title,
            "theme": session.theme,
            "url": session.url or "",
            "product_area_id": session.product_area_id,
            "starts_at": session.starts_at,
            "ends_at": session.ends_at,
            "is_open": session.is_open(now),
            "voting_policy": session.voting_policy,
        }
        for session in cms_selectors.storm_sessions_live(viewer=request.user)
    ]


@router.get("/figures", response={200: PublicFiguresOut, **READ_ERRORS}, auth=auth.public())
def public_figures(request):
    """The community's public figures: ideas submitted, answered by staff, shipped."""
    return selectors.community_figures()

"""``{% org_stars org %}``: the organisation's latest 星级党支部 rating (with ↑ / ↓ against the year before) and the
titles it holds (先进党支部 / 标杆党支部) on its page (orgs/detail.html), two queries. A tag, as ``org_brand``: the orgs
app only names it; the page is already in the user's scope (``orgs.view``)."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import StarRating, Title

register = template.Library()


@register.inclusion_tag("assessment/stars_org_block.html")
def org_stars(org: Any) -> dict[str, Any]:
    rating = StarRating.objects.filter(organization=org, current=True).order_by("-year").first()
    titles = list(Title.objects.filter(organization=org, withdrawn_at__isnull=True).order_by("-year", "kind")[:10])
    return {"rating": rating, "titles": titles}

"""``{% org_brand org %}``: the organisation's recognised 一支部一特色 on its page (orgs/detail.html), one query.

A tag rather than a context variable so the orgs app, which knows no assessment, only names it in its template;
the org page is already in the user's scope (``orgs.view``), the same permission a brand is read with.
"""

from __future__ import annotations

from typing import Any

from django import template

from ..models import BranchBrand, BrandStatus

register = template.Library()


@register.inclusion_tag("assessment/brand_org_block.html")
def org_brand(org: Any) -> dict[str, Any]:
    brand = None
    if getattr(org, "kind", None) == "branch":
        brand = BranchBrand.objects.filter(organization=org, current=True, status=BrandStatus.RECOGNISED).first()
    return {"brand": brand}

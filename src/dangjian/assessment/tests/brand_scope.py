"""The generic scope test's objects for the 一支部一特色 pages: a submitted brand of branch1 (the office of the root
reviews it, the office of branch2 does not: the review page is in OFFICE_ONLY) and its evidence, with a file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def brand_of_branch1(world):
    from dangjian.assessment import brands
    from dangjian.assessment.models import BranchBrand
    from dangjian.core import context

    t, p1, p2, sec1, sec2, job1 = world
    brand = BranchBrand.objects.filter(organization=t.branch1, current=True).first()
    if brand is None:
        data = brands.BrandData(name="科研攻坚", idea="理念", measures="举措", business_link="", started_year=2025)
        with context.acting(sec1, channel="web"):
            brand = brands.create(sec1, t.branch1.pk, data)
            brands.add_evidence(
                sec1, brand.pk, year=2026, title="活动照片", text="", upload=SimpleUploadedFile("a.png", PNG)
            )
            brands.submit(sec1, brand.pk)
    return brand


def object_for(world, name: str, param: str):
    brand = brand_of_branch1(world)
    if name.startswith("brand_evidence_") and name != "brand_evidence_add":
        return brand.evidence.order_by("pk").first().pk
    return brand.pk

"""一支部一特色 services and fact: the workflow (draft → submitted → recognised / returned → withdrawn), one
current brand per branch, evidence uploads checked by content, audit events, and ``assessment.brand.recognised``."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404

from dangjian.assessment import brands
from dangjian.assessment.facts import KEY, BrandFacts
from dangjian.assessment.models import BranchBrand, BrandEvidence, BrandReview, BrandStatus
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.core.contributions import Period, fact_definitions
from dangjian.orgs.models import Organization
from dangjian.testing import make_tree, make_user

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def data(name: str = "科研攻坚先锋") -> brands.BrandData:
    return brands.BrandData(
        name=name, idea="支部建在项目上", measures="党员先锋岗", business_link="", started_year=2025
    )


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    t = make_tree()
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    office = make_user("office_root", "office", t.root)
    with context.acting(sec1):
        yield t, sec1, sec2, office


def recognised(t, sec, office, org, year=2026, name="特色"):
    brand = brands.create(sec, org.pk, data(name))
    brands.submit(sec, brand.pk)
    brands.review(office, brand.pk, year=year, result="recognised", remarks="")
    return brand


def test_draft_submit_return_resubmit_recognise(world):
    t, sec1, sec2, office = world
    brand = brands.create(sec1, t.branch1.pk, data())
    assert brand.status == BrandStatus.DRAFT and brand.current
    brands.submit(sec1, brand.pk)
    with pytest.raises(ValidationError):
        brands.update(sec1, brand.pk, data("改名"))  # under review: not edited
    with pytest.raises(ValidationError) as exc:
        brands.review(office, brand.pk, year=2026, result="not_recognised", remarks=" ")
    assert "审核意见" in str(exc.value)
    brands.review(office, brand.pk, year=2026, result="not_recognised", remarks="举措不具体")
    brand.refresh_from_db()
    assert (brand.status, brand.remarks) == (BrandStatus.RETURNED, "举措不具体")
    brands.update(sec1, brand.pk, data("科研攻坚先锋（修改）"))
    brands.submit(sec1, brand.pk)
    brands.review(office, brand.pk, year=2026, result="recognised", remarks="")
    brand.refresh_from_db()
    assert brand.status == BrandStatus.RECOGNISED and brand.recognised_at is not None
    assert list(brand.reviews.order_by("id").values_list("result", flat=True)) == ["not_recognised", "recognised"]
    with pytest.raises(ValidationError):  # the year is recognised already
        brands.review(office, brand.pk, year=2026, result="recognised", remarks="")
    events = AuditEvent.objects.filter(object_type="assessment.branchbrand", object_id=str(brand.pk))
    assert events.count() == 6  # create, submit, returned, edit, submit, recognised
    assert AuditEvent.objects.filter(object_type="assessment.brandreview").count() == 2


def test_a_secretary_neither_reviews_nor_reaches_another_branch(world):
    t, sec1, sec2, office = world
    brand = brands.create(sec1, t.branch1.pk, data())
    brands.submit(sec1, brand.pk)
    with pytest.raises(Http404):
        brands.review(sec1, brand.pk, year=2026, result="recognised", remarks="")
    with pytest.raises(Http404):
        brands.withdraw(sec2, brand.pk)
    with pytest.raises(Http404):
        brands.create(sec2, t.branch1.pk, data())
    with pytest.raises(ValidationError):  # a brand is a branch's, not a general branch's
        brands.create(office, t.general.pk, data())
    Organization.objects.filter(pk=t.branch2.pk).update(dissolved_on=date(2026, 1, 1))
    with pytest.raises(ValidationError) as exc:
        brands.create(office, t.branch2.pk, data())
    assert "已撤销" in str(exc.value)


def test_one_current_brand_per_branch_a_new_one_replaces_the_recognised_one(world):
    t, sec1, sec2, office = world
    first = brands.create(sec1, t.branch1.pk, data("一"))
    with pytest.raises(ValidationError) as exc:  # still a draft: edit it, not replace it
        brands.create(sec1, t.branch1.pk, data("二"))
    assert "请修改或撤销" in str(exc.value)
    brands.submit(sec1, first.pk)
    brands.review(office, first.pk, year=2025, result="recognised", remarks="")
    second = brands.create(sec1, t.branch1.pk, data("二"))
    first.refresh_from_db()
    assert (first.status, first.current) == (BrandStatus.WITHDRAWN, False)
    assert second.replaces_id == first.pk and second.current
    assert BranchBrand.objects.filter(organization=t.branch1).count() == 2  # history kept
    with pytest.raises(IntegrityError), transaction.atomic():  # the database keeps it too
        BranchBrand.objects.filter(pk=first.pk).update(current=True)
    brands.withdraw(sec1, second.pk)
    third = brands.create(sec1, t.branch1.pk, data("三"))
    assert third.replaces_id is None


def test_evidence_files_are_checked_by_content_and_withdrawn_not_deleted(world):
    t, sec1, sec2, office = world
    brand = brands.create(sec1, t.branch1.pk, data())
    fake = SimpleUploadedFile("photo.png", b"MZ not a png at all")
    with pytest.raises(ValidationError) as exc:
        brands.add_evidence(sec1, brand.pk, year=2026, title="照片", text="", upload=fake)
    assert "文件内容与扩展名不符" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        exe = SimpleUploadedFile("run.exe", b"MZ")
        brands.add_evidence(sec1, brand.pk, year=2026, title="照片", text="", upload=exe)
    assert "只能上传" in str(exc.value)
    with pytest.raises(ValidationError):
        brands.add_evidence(sec1, brand.pk, year=2026, title=" ", text="无标题")
    ev = brands.add_evidence(
        sec1, brand.pk, year=2026, title="活动照片", text="", upload=SimpleUploadedFile("活动.png", PNG)
    )
    assert ev.file_name == "活动.png" and ev.size == len(PNG) and ev.file.name.endswith(".png")
    text_only = brands.add_evidence(sec1, brand.pk, year=2026, title="总结", text="全年开展活动 12 次")
    assert not text_only.file
    with pytest.raises(Http404):
        brands.withdraw_evidence(sec2, ev.pk)
    brands.withdraw_evidence(sec1, ev.pk)
    assert BrandEvidence.objects.get(pk=ev.pk).withdrawn_at is not None
    assert BrandEvidence.objects.count() == 2
    brands.withdraw(sec1, brand.pk)
    with pytest.raises(ValidationError):
        brands.add_evidence(sec1, brand.pk, year=2026, title="迟到的材料", text="")


def test_the_fact_counts_recognised_branches_per_subtree_by_the_latest_review_of_the_year(world):
    t, sec1, sec2, office = world
    assert KEY in fact_definitions()
    recognised(t, sec1, office, t.branch1, 2026)
    b2 = brands.create(sec2, t.branch2.pk, data("二"))
    brands.submit(sec2, b2.pk)
    brands.review(office, b2.pk, year=2025, result="recognised", remarks="")  # last year's only
    sec3 = make_user("sec3", "secretary", t.office_branch)
    b3 = recognised(t, sec3, office, t.office_branch, 2026)
    BrandReview.objects.create(brand=b3, year=2026, result="not_recognised", remarks="复核未通过", reviewer=office)
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    values = {v.organization_id: v.value for v in BrandFacts().compute(orgs, Period.year(2026))}
    assert [values[o.pk] for o in orgs] == [1, 1, 1, 0, 0]
    last_year = {v.organization_id: v.value for v in BrandFacts().compute(orgs, Period.year(2025))}
    assert [last_year[o.pk] for o in orgs] == [1, 1, 0, 1, 0]


def test_the_fact_reads_a_constant_number_of_queries(world, django_assert_num_queries):
    t, sec1, sec2, office = world
    orgs = [t.root, t.general, t.branch1, t.branch2, t.office_branch]
    with django_assert_num_queries(1):
        BrandFacts().compute(orgs, Period.year(2026))
    recognised(t, sec1, office, t.branch1, 2026)
    recognised(t, sec2, office, t.branch2, 2026)
    with django_assert_num_queries(1):
        values = BrandFacts().compute(orgs, Period.year(2026))
    assert {v.organization_id: v.value for v in values}[t.root.pk] == 2

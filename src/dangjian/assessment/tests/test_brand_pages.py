"""一支部一特色 pages: a secretary keeps their own branch's brand and gets 404 for another's; the office sees its
subtree and reviews; the list takes a constant number of queries; the evidence form refuses a disguised file; the
organisation's page shows its recognised feature."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.assessment import brands
from dangjian.assessment.models import BranchBrand, BrandEvidence, BrandStatus
from dangjian.core import context
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
    return (
        t,
        make_user("sec1", "secretary", t.branch1),
        make_user("sec2", "secretary", t.branch2),
        make_user("office_root", "office", t.root),
    )


def submitted(user, org, name="科研攻坚先锋"):
    with context.acting(user):
        brand = brands.create(user, org.pk, data(name))
        brands.submit(user, brand.pk)
    return brand


def test_a_secretary_creates_edits_and_submits_their_branch_brand(client, world):
    t, sec1, sec2, office = world
    client.force_login(sec1)
    page = client.get(reverse("assessment:brand_new"))
    assert page.status_code == 200
    options = page.context["form"].fields["organization"].queryset
    assert list(options) == [t.branch1]  # only their own branch is offered
    form = {"organization": t.branch1.pk, "name": "", "idea": "理念", "measures": "举措", "started_year": 2025}
    assert client.post(reverse("assessment:brand_new"), form).status_code == 200  # no name: the form again
    assert not BranchBrand.objects.exists()
    form["name"] = "科研攻坚先锋"
    response = client.post(reverse("assessment:brand_new"), form)
    brand = BranchBrand.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("assessment:brand", args=[brand.pk])
    assert (brand.organization, brand.status, brand.created_by) == (t.branch1, BrandStatus.DRAFT, sec1)
    form["name"] = "科研攻坚先锋队"
    client.post(reverse("assessment:brand_edit", args=[brand.pk]), form)
    assert client.post(reverse("assessment:brand_submit", args=[brand.pk])).status_code == 302
    brand.refresh_from_db()
    assert (brand.name, brand.status) == ("科研攻坚先锋队", BrandStatus.SUBMITTED)


def test_a_secretary_cannot_create_for_another_branch(client, world):
    t, sec1, sec2, office = world
    client.force_login(sec1)
    form = {"organization": t.branch2.pk, "name": "x", "idea": "理念", "measures": "举措", "started_year": 2025}
    response = client.post(reverse("assessment:brand_new"), form)
    assert response.status_code == 200 and not BranchBrand.objects.exists()


def test_another_branch_secretary_gets_404_everywhere(client, world):
    t, sec1, sec2, office = world
    brand = submitted(sec1, t.branch1)
    with context.acting(sec1):
        ev = brands.add_evidence(
            sec1, brand.pk, year=2026, title="照片", text="", upload=SimpleUploadedFile("a.png", PNG)
        )
    client.force_login(sec2)
    for name, pk in [
        ("assessment:brand", brand.pk),
        ("assessment:brand_edit", brand.pk),
        ("assessment:brand_submit", brand.pk),
        ("assessment:brand_withdraw", brand.pk),
        ("assessment:brand_evidence_add", brand.pk),
        ("assessment:brand_review", brand.pk),
        ("assessment:brand_evidence_file", ev.pk),
        ("assessment:brand_evidence_withdraw", ev.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
        assert client.post(reverse(name, args=[pk])).status_code == 404, name
    assert "科研攻坚先锋" not in client.get(reverse("assessment:brands")).content.decode()
    client.force_login(sec1)  # a secretary sees their brand but does not review it
    assert client.get(reverse("assessment:brand", args=[brand.pk])).status_code == 200
    assert client.get(reverse("assessment:brand_review", args=[brand.pk])).status_code == 404
    assert client.get(reverse("assessment:brand_evidence_file", args=[ev.pk])).status_code == 200


def test_the_office_reviews_with_remarks_and_confirmation(client, world):
    t, sec1, sec2, office = world
    brand = submitted(sec1, t.branch1)
    client.force_login(office)
    url = reverse("assessment:brand_review", args=[brand.pk])
    assert "确认审核" in client.get(url).content.decode()
    page = client.post(url, {"year": 2026, "result": "not_recognised", "remarks": ""})
    assert page.status_code == 200 and "不予认定时请填写审核意见" in page.content.decode()
    client.post(url, {"year": 2026, "result": "not_recognised", "remarks": "请补充与业务的结合"})
    brand.refresh_from_db()
    assert (brand.status, brand.remarks) == (BrandStatus.RETURNED, "请补充与业务的结合")
    assert client.get(url).status_code == 302  # a returned brand waits for the branch
    client.force_login(sec1)
    assert "请补充与业务的结合" in client.get(reverse("assessment:brand", args=[brand.pk])).content.decode()
    client.post(reverse("assessment:brand_submit", args=[brand.pk]))
    client.force_login(office)
    client.post(url, {"year": 2026, "result": "recognised", "remarks": "特色鲜明"})
    brand.refresh_from_db()
    assert brand.status == BrandStatus.RECOGNISED
    org_page = client.get(reverse("orgs:detail", args=[t.branch1.pk])).content.decode()
    assert 'id="org-brand"' in org_page and "科研攻坚先锋" in org_page
    assert 'id="org-brand"' not in client.get(reverse("orgs:detail", args=[t.branch2.pk])).content.decode()


def test_evidence_upload_page_refuses_a_disguised_file_and_keeps_a_real_one(client, world):
    t, sec1, sec2, office = world
    brand = submitted(sec1, t.branch1)
    client.force_login(sec1)
    url = reverse("assessment:brand_evidence_add", args=[brand.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and "image/png" in page  # the phone offers its camera
    fake = SimpleUploadedFile("photo.jpg", b"<html>not an image</html>")
    response = client.post(url, {"year": 2026, "title": "照片", "file": fake})
    assert response.status_code == 200 and "文件内容与扩展名不符" in response.content.decode()
    assert not BrandEvidence.objects.exists()
    response = client.post(url, {"year": 2026, "title": "照片", "file": SimpleUploadedFile("活动.png", PNG)})
    assert response.status_code == 302
    ev = BrandEvidence.objects.get()
    download = client.get(reverse("assessment:brand_evidence_file", args=[ev.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    client.post(reverse("assessment:brand_evidence_withdraw", args=[ev.pk]))
    assert client.get(reverse("assessment:brand_evidence_file", args=[ev.pk])).status_code == 404
    assert BrandEvidence.objects.filter(pk=ev.pk, withdrawn_at__isnull=False).exists()


def test_the_list_filters_and_takes_constant_queries(client, world):
    t, sec1, sec2, office = world
    client.force_login(office)
    url = reverse("assessment:brands")

    def count() -> int:
        with CaptureQueriesContext(connection) as q:
            assert client.get(url, {"status": "submitted"}).status_code == 200
        return len(q)

    submitted(sec1, t.branch1, "一支部特色")
    few = count()
    for i in range(4):
        parent = Organization.objects.get(pk=t.general.pk)
        branch = Organization.objects.add_child(parent, dict(kind="branch", code=f"X{i}", name=f"新支部{i}"))
        submitted(make_user(f"s{i}", "secretary", branch), branch, f"特色{i}")
    assert count() == few
    page = client.get(url, {"q": "一支部特色"}).content.decode()
    assert "一支部特色" in page and "特色3" not in page
    assert "特色3" not in client.get(url, {"status": "recognised"}).content.decode()
    with context.acting(office):
        brands.review(office, BranchBrand.objects.get(name="特色3").pk, year=2026, result="recognised", remarks="")
    by_year = client.get(url, {"year": 2026}).content.decode()
    assert "特色3" in by_year and "特色2" not in by_year
    client.force_login(sec1)  # a secretary: their branch's only
    mine = client.get(url).content.decode()
    assert "一支部特色" in mine and "特色3" not in mine

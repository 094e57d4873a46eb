"""Withdrawing a hardship entry or a practical-matter project recorded by mistake: confirmation with a required
reason, scope (404), audit with the reason, soft delete (row kept), and the withdrawn record leaves the lists,
the yearly totals and the .xlsx export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.care import hardship, matter_services
from dangjian.care.models import HardshipEntry, Milestone, PracticalMatter, Support
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows

pytestmark = pytest.mark.django_db


def _entry(w, person, amount="500.00"):
    entry = HardshipEntry.objects.create(
        person=person, registered_on=date(2026, 1, 5), reason="重病", recorded_by=w.sec1
    )
    Support.objects.create(
        entry=entry, given_on=date(2026, 2, 1), kind="cash", amount=Decimal(amount), given_by="工会", recorded_by=w.sec1
    )
    return entry


def _matter(w, title="实事", org=None, owner=None):
    return PracticalMatter.objects.create(
        title=title,
        year=timezone.localdate().year,
        organization=org or w.t.branch1,
        owner=owner or w.jia,
        recorded_by=w.sec1,
    )


def _audit(model: str, pk: int) -> AuditEvent:
    return AuditEvent.objects.filter(object_type=f"care.{model}", object_id=str(pk), action="delete").get()


def test_hardship_withdrawal_needs_a_reason_and_the_scope(care_world):
    w = care_world
    entry = _entry(w, w.jia)
    with pytest.raises(ValidationError):
        hardship.withdraw_entry(w.sec1, entry.pk, "  ")
    with pytest.raises(Http404):
        hardship.withdraw_entry(w.sec2, entry.pk, "误登记")
    assert HardshipEntry.objects.filter(pk=entry.pk).exists()
    assert not AuditEvent.objects.filter(object_type="care.hardshipentry", action="delete").exists()
    hardship.withdraw_entry(w.sec1, entry.pk, " 重复登记 ")
    row = HardshipEntry.all_objects.get(pk=entry.pk)  # kept, only marked
    assert row.deleted_at is not None and row.deleted_by == w.sec1
    assert not HardshipEntry.objects.filter(pk=entry.pk).exists()
    assert Support.objects.filter(entry_id=entry.pk).count() == 1
    event = _audit("hardshipentry", entry.pk)
    assert event.detail == {"reason": "重复登记", "supports": 1}
    assert event.before["deleted_at"] is None
    with pytest.raises(Http404):  # withdrawn: no further support, no second withdrawal
        hardship.add_support(w.sec1, entry.pk, {"given_on": date(2026, 3, 1), "kind": "cash", "given_by": "x"})
    with pytest.raises(Http404):
        hardship.withdraw_entry(w.sec1, entry.pk, "再撤销")


def test_hardship_withdraw_page_confirms_and_the_entry_leaves_list_and_totals(client, care_world):
    w = care_world
    wrong = _entry(w, w.jia, "1000.00")
    _entry(w, w.yi, "200.50")
    client.force_login(w.sec1)
    listing = client.get(reverse("care:hardship"))
    assert listing.context["totals"][0]["amount"] == Decimal("1200.50")
    detail = client.get(reverse("care:hardship_entry", args=[wrong.pk])).content.decode()
    url = reverse("care:hardship_withdraw", args=[wrong.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "确定撤销甲于2026-01-05的困难帮扶登记吗" in page and 'name="reason"' in page
    r = client.post(url, {"reason": ""})
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    assert HardshipEntry.objects.filter(pk=wrong.pk).exists()
    r = client.post(url, {"reason": "登记错人"})
    assert r.status_code == 302 and r["Location"] == reverse("care:hardship")
    assert _audit("hardshipentry", wrong.pk).detail["reason"] == "登记错人"
    listing = client.get(reverse("care:hardship"))
    assert [e.person.name for e in listing.context["page"]] == ["乙"]
    totals = listing.context["totals"]
    assert len(totals) == 1 and totals[0]["amount"] == Decimal("200.50") and totals[0]["people"] == 1
    assert totals[0]["n"] == 1
    assert client.get(reverse("care:hardship_entry", args=[wrong.pk])).status_code == 404
    assert client.get(url).status_code == 404
    # the person may be registered again once the mistaken entry is withdrawn
    r = client.post(reverse("care:hardship_new"), {"person": "甲", "registered_on": "2026-01-10", "reason": "重病"})
    assert r.status_code == 302 and HardshipEntry.objects.filter(person=w.jia).count() == 1


def test_hardship_withdraw_is_404_out_of_scope_and_hidden_from_readers(client, care_world):
    w = care_world
    entry = _entry(w, w.jia)
    url = reverse("care:hardship_withdraw", args=[entry.pk])
    client.force_login(w.sec2)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "误登记"}).status_code == 404
    assert HardshipEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(w.leader)  # reads the register, cannot change it
    detail = client.get(reverse("care:hardship_entry", args=[entry.pk]))
    assert detail.status_code == 200 and url not in detail.content.decode()
    assert client.get(url).status_code == 404


def test_matter_withdrawal_needs_a_reason_and_the_scope(care_world):
    w = care_world
    matter = _matter(w)
    ms = Milestone.objects.create(matter=matter, title="方案", planned_on=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        matter_services.withdraw_matter(w.sec1, matter.pk, "")
    with pytest.raises(Http404):
        matter_services.withdraw_matter(w.sec2, matter.pk, "误登记")
    assert PracticalMatter.objects.filter(pk=matter.pk).exists()
    matter_services.withdraw_matter(w.sec1, matter.pk, "重复录入")
    row = PracticalMatter.all_objects.get(pk=matter.pk)
    assert row.deleted_at is not None and row.deleted_by == w.sec1 and row.milestones.count() == 1
    assert _audit("practicalmatter", matter.pk).detail == {"reason": "重复录入"}
    with pytest.raises(Http404):
        matter_services.add_milestone(w.sec1, matter.pk, "节点", date(2026, 4, 1))
    with pytest.raises(Http404):
        matter_services.complete_milestone(w.sec1, ms.pk, date(2026, 3, 2))
    assert Milestone.objects.get(pk=ms.pk).done_on is None


def test_matter_withdraw_page_confirms_and_the_project_leaves_list_and_export(client, care_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = care_world
    year = timezone.localdate().year
    wrong, kept = _matter(w, "录错的项目"), _matter(w, "建立企业年金")
    ms = Milestone.objects.create(matter=wrong, title="方案", planned_on=date(year, 3, 1))
    client.force_login(w.sec1)
    url = reverse("care:matter_withdraw", args=[wrong.pk])
    assert url in client.get(reverse("care:matter", args=[wrong.pk])).content.decode()
    page = client.get(url).content.decode()
    assert f"确定撤销{year}年度的“录错的项目”项目吗" in page
    r = client.post(url, {"reason": " "})
    assert r.status_code == 200 and PracticalMatter.objects.filter(pk=wrong.pk).exists()
    r = client.post(url, {"reason": "录入重复"})
    assert r.status_code == 302 and r["Location"] == f"{reverse('care:matters')}?year={year}"
    assert _audit("practicalmatter", wrong.pk).detail["reason"] == "录入重复"
    listing = client.get(reverse("care:matters"), {"year": year})
    assert [m.pk for m in listing.context["page"]] == [kept.pk]
    r = client.get(reverse("care:matters_export"), {"year": year})
    rows = list_rows(r.content)
    assert [row[1] for row in rows[1:]] == ["建立企业年金"]
    assert client.get(reverse("care:matter", args=[wrong.pk])).status_code == 404
    assert client.get(reverse("care:matter_edit", args=[wrong.pk])).status_code == 404
    assert client.post(reverse("care:milestone_done", args=[ms.pk]), {"done_on": f"{year}-03-02"}).status_code == 404
    assert client.get(url).status_code == 404


def test_matter_withdraw_is_404_out_of_scope(client, care_world):
    w = care_world
    matter = _matter(w)
    url = reverse("care:matter_withdraw", args=[matter.pk])
    client.force_login(w.sec2)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "误登记"}).status_code == 404
    assert PracticalMatter.objects.filter(pk=matter.pk).exists()
    assert not AuditEvent.objects.filter(object_type="care.practicalmatter", action="delete").exists()


def test_the_matter_export_writes_a_formula_like_title_as_text(client, care_world):
    w = care_world
    _matter(w, INJECTION)
    client.force_login(w.sec1)
    assert_written_as_text(client.get(reverse("care:matters_export"), {"year": timezone.localdate().year}).content)

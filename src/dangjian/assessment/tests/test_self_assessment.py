"""自评 (issue 14 §2): a unit's self-scores, narrative and evidence on the manual items, its submission, the office's
return; scope, audit and the pages' query counts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.assessment import self_assessment as svc
from dangjian.assessment import self_home
from dangjian.assessment.models import CycleStatus, CycleUnit, Evidence, SelfAssessment, SelfScore
from dangjian.assessment.tree import Node
from dangjian.audit.models import AuditEvent
from dangjian.core import context
from dangjian.orgs.models import Organization
from dangjian.testing import make_tree, make_user

from .cycle_factories import meeting_tree, open_cycle
from .factories import small_data

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n" + b"0" * 64


def pdf(name: str = "记录.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def world(settings, tmp_path):
    """A system with two manual items (理论学习 4 分, 制度建设 2 分) and a cycle over the three branches, in 自评中."""
    from dangjian.assessment import services

    settings.MEDIA_ROOT = tmp_path
    t = make_tree()
    office = make_user("office_root", "office", t.root)
    sec1 = make_user("sec1", "secretary", t.branch1)
    sec2 = make_user("sec2", "secretary", t.branch2)
    nodes = meeting_tree()
    nodes[1].children.append(Node(name="制度建设", points=Decimal(2), method="manual", description="制度健全"))
    with context.acting(office):
        system = services.create_system(office, small_data("自评体系", total=12), nodes)
        system = services.publish(office, system.pk)
        cycle = open_cycle(office, system, [t.branch1, t.branch2, t.office_branch])
    cycle.status = CycleStatus.SELF_ASSESSMENT
    cycle.self_deadline = timezone.localdate() + timedelta(days=10)
    cycle.save()
    study = system.indicators.get(name="理论学习")
    rules = system.indicators.get(name="制度建设")
    return t, office, sec1, sec2, cycle, study, rules


def fill(user, cycle, unit, study, rules):
    with context.acting(user):
        svc.save_score(user, cycle.pk, unit.pk, study.pk, "3.5", "按计划学习")
        svc.save_score(user, cycle.pk, unit.pk, rules.pk, "2", "")


def messages_of(exc: pytest.ExceptionInfo) -> str:
    return "；".join(exc.value.messages)


def test_a_self_score_lies_between_zero_and_the_item_points(world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        for bad in ("5", "-1", "abc", ""):
            with pytest.raises(ValidationError) as exc:
                svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, bad)
            assert "理论学习" in messages_of(exc)
        row = svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3.456", " 每月学习 ")
    assert row.score == Decimal("3.46") and row.narrative == "每月学习"
    auto = cycle.system.indicators.get(name="按期完成率")
    with context.acting(sec1), pytest.raises(ValidationError) as exc:
        svc.save_score(sec1, cycle.pk, t.branch1.pk, auto.pk, "1")
    assert "人工评分项" in messages_of(exc)


def test_nothing_is_written_unless_the_cycle_is_in_self_assessment(world):
    t, office, sec1, sec2, cycle, study, rules = world
    for status in (CycleStatus.OPEN, CycleStatus.REVIEW):
        cycle.status = status
        cycle.save()
        with context.acting(sec1), pytest.raises(ValidationError) as exc:
            svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3")
        assert "不在自评阶段" in messages_of(exc)
    assert not SelfScore.objects.exists()


def test_submission_lists_the_manual_items_without_a_self_score(world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3")
        with pytest.raises(ValidationError) as exc:
            svc.submit(sec1, cycle.pk, t.branch1.pk)
    text = messages_of(exc)
    assert "1 项" in text and "制度建设" in text and "理论学习" not in text
    assert SelfAssessment.objects.get(unit=t.branch1).submitted_at is None


def test_submission_after_the_deadline_is_refused_unless_the_office_returned_it(world):
    t, office, sec1, sec2, cycle, study, rules = world
    fill(sec1, cycle, t.branch1, study, rules)
    cycle.self_deadline = timezone.localdate() - timedelta(days=1)
    cycle.save()
    with context.acting(sec1), pytest.raises(ValidationError) as exc:
        svc.submit(sec1, cycle.pk, t.branch1.pk)
    assert cycle.self_deadline.strftime("%Y-%m-%d") in messages_of(exc)
    # submitted in time, returned by the office, completed and submitted again after the deadline
    cycle.self_deadline = timezone.localdate()
    cycle.save()
    with context.acting(sec1):
        svc.submit(sec1, cycle.pk, t.branch1.pk)
    with context.acting(office):
        svc.return_submission(office, cycle.pk, t.branch1.pk, "请补充制度建设材料")
    cycle.self_deadline = timezone.localdate() - timedelta(days=3)
    cycle.save()
    with context.acting(sec1):
        row = svc.submit(sec1, cycle.pk, t.branch1.pk)
    assert row.submitted_at is not None and row.submitted_by == sec1


def test_after_submission_the_unit_changes_nothing_until_returned(world):
    t, office, sec1, sec2, cycle, study, rules = world
    fill(sec1, cycle, t.branch1, study, rules)
    with context.acting(sec1):
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
        svc.submit(sec1, cycle.pk, t.branch1.pk)
        attempts = [
            lambda: svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "1"),
            lambda: svc.save(sec1, cycle.pk, t.branch1.pk, {study.pk: ("1", "")}, "总结"),
            lambda: svc.save_narrative(sec1, cycle.pk, t.branch1.pk, "总结"),
            lambda: svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="再传", upload=pdf()),
            lambda: svc.withdraw_evidence(sec1, ev.pk, "传错了"),
            lambda: svc.submit(sec1, cycle.pk, t.branch1.pk),
        ]
        for attempt in attempts:
            with pytest.raises(ValidationError):
                attempt()
    assert SelfScore.objects.get(indicator=study).score == Decimal("3.5")
    with context.acting(office):
        with pytest.raises(ValidationError) as exc:
            svc.return_submission(office, cycle.pk, t.branch1.pk, " ")
        assert "退回原因" in messages_of(exc)
        with pytest.raises(Http404):
            svc.return_submission(sec1, cycle.pk, t.branch1.pk, "自己退回")
        row = svc.return_submission(office, cycle.pk, t.branch1.pk, "材料不全")
    assert row.submitted_at is None and row.submitted_by is None and row.returned_reason == "材料不全"
    with context.acting(sec1):
        assert svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "1").score == Decimal(1)
        with pytest.raises(ValidationError):
            svc.return_submission(office, cycle.pk, t.branch1.pk, "未提交的不能退回")


def test_the_page_form_saves_every_item_or_none_and_reports_every_bad_one(world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        with pytest.raises(ValidationError) as exc:
            svc.save(sec1, cycle.pk, t.branch1.pk, {study.pk: ("9", ""), rules.pk: ("", "只有说明")}, "总结")
        assert len(exc.value.messages) == 2
        assert not SelfScore.objects.exists()
        assert svc.save(sec1, cycle.pk, t.branch1.pk, {study.pk: ("4", "好"), rules.pk: ("", "")}, "总结") == 1
    assert SelfAssessment.objects.get(unit=t.branch1).narrative == "总结"


def test_evidence_is_checked_and_withdrawn_with_a_reason_never_deleted(world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        with pytest.raises(ValidationError):
            svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="伪装", upload=pdf("a.pdf", b"MZ\x90"))
        with pytest.raises(ValidationError):
            svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="", upload=pdf())
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
        with pytest.raises(ValidationError) as exc:
            svc.withdraw_evidence(sec1, ev.pk, "  ")
        assert "撤回原因" in messages_of(exc)
        svc.withdraw_evidence(sec1, ev.pk, "传错了")
        with pytest.raises(ValidationError):
            svc.withdraw_evidence(sec1, ev.pk, "再撤一次")
    ev = Evidence.objects.get(pk=ev.pk)
    assert ev.withdrawn_at is not None and ev.withdrawn_reason == "传错了" and ev.file.storage.exists(ev.file.name)


def test_another_branch_secretary_is_told_the_unit_does_not_exist(world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec2):
        with pytest.raises(Http404):
            svc.save_score(sec2, cycle.pk, t.branch1.pk, study.pk, "3")
        with pytest.raises(Http404):
            svc.submit(sec2, cycle.pk, t.branch1.pk)
    # a unit not assessed in the cycle is not found either, even for its own secretary
    other = Organization.objects.add_child(
        t.general, dict(kind="branch", code="T099", name="未考核支部", founded_on=date(2000, 1, 1))
    )
    with context.acting(office), pytest.raises(Http404):
        svc.save_score(office, cycle.pk, other.pk, study.pk, "3")


def test_every_write_leaves_an_audit_row(world):
    t, office, sec1, sec2, cycle, study, rules = world
    fill(sec1, cycle, t.branch1, study, rules)
    with context.acting(sec1):
        svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3.5", "按计划学习")  # unchanged: no row
        svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "4", "按计划学习")
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
        svc.withdraw_evidence(sec1, ev.pk, "传错了")
        svc.save_narrative(sec1, cycle.pk, t.branch1.pk, "全年总结")
        svc.submit(sec1, cycle.pk, t.branch1.pk)
    with context.acting(office):
        svc.return_submission(office, cycle.pk, t.branch1.pk, "补充")
    scores = AuditEvent.objects.filter(object_type="assessment.selfscore")
    assert [e.action for e in scores.order_by("pk")] == ["create", "create", "update"]
    assert AuditEvent.objects.filter(object_type="assessment.evidence").count() == 2
    changes = [
        e.detail["change"] for e in AuditEvent.objects.filter(object_type="assessment.selfassessment").order_by("pk")
    ]
    assert changes == ["narrative", "submit", "return"]
    assert AuditEvent.objects.filter(object_type="assessment.selfassessment", actor=office).count() == 1


# pages


def test_the_unit_page_shows_the_items_progress_and_status(client, world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3")
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
    client.force_login(sec1)
    url = reverse("assessment:self_unit", args=[cycle.pk, t.branch1.pk])
    page = client.get(url).content.decode()
    assert "思想建设" in page and "制度健全" in page and "学习记录" in page
    assert "已填 1 / 2 项" in page and "未提交" in page and "还剩 10 天" in page
    assert reverse("assessment:self_evidence_file", args=[ev.pk]) in page
    download = client.get(reverse("assessment:self_evidence_file", args=[ev.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert "attachment" in download["Content-Disposition"]
    # the form saves the second item, then the unit submits
    client.post(reverse("assessment:self_save", args=[cycle.pk, t.branch1.pk]), {f"score_{rules.pk}": "1.5"})
    assert SelfScore.objects.get(indicator=rules).score == Decimal("1.5")
    response = client.post(reverse("assessment:self_submit", args=[cycle.pk, t.branch1.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "sec1 于" in page and f'name="score_{study.pk}"' not in page
    listing = client.get(reverse("assessment:cycles")).content.decode()
    assert url in listing


def test_a_secretary_of_another_branch_gets_404_on_the_pages(client, world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
    client.force_login(sec2)
    assert client.get(reverse("assessment:self_unit", args=[cycle.pk, t.branch1.pk])).status_code == 404
    assert client.get(reverse("assessment:self_evidence_file", args=[ev.pk])).status_code == 404
    post = client.post(reverse("assessment:self_evidence_withdraw", args=[ev.pk]), {"reason": "x"})
    assert post.status_code == 404
    assert client.get(reverse("assessment:self_unit", args=[cycle.pk, t.branch2.pk])).status_code == 200
    client.force_login(sec1)
    assert client.get(reverse("assessment:self_overview", args=[cycle.pk])).status_code == 404
    ret = client.post(reverse("assessment:self_return", args=[cycle.pk, t.branch1.pk]), {"reason": "x"})
    assert ret.status_code == 404


def _more_units(t, cycle, n):
    for i in range(n):
        org = Organization.objects.add_child(
            t.general, dict(kind="branch", code=f"T09{i}", name=f"新支部{i}", founded_on=date(2000, 1, 1))
        )
        CycleUnit.objects.create(cycle=cycle, organization=org, kind="branch")


def test_the_office_overview_filters_and_takes_a_constant_number_of_queries(client, world):
    t, office, sec1, sec2, cycle, study, rules = world
    fill(sec1, cycle, t.branch1, study, rules)
    with context.acting(sec1):
        svc.submit(sec1, cycle.pk, t.branch1.pk)
    with context.acting(sec2):
        svc.save_score(sec2, cycle.pk, t.branch2.pk, study.pk, "2")
    client.force_login(office)
    url = reverse("assessment:self_overview", args=[cycle.pk])
    CycleUnit.objects.filter(cycle=cycle, organization=t.office_branch).delete()
    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()
    assert "2 / 2" in page and "1 / 2" in page and "已提交" in page
    _more_units(t, cycle, 4)
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert "新支部3" in page
    assert len(six) == len(two)
    submitted = client.get(url + "?state=submitted").content.decode()
    assert "一支部" in submitted and "二支部" not in submitted
    pending = client.get(url + "?state=pending").content.decode()
    assert "二支部" in pending and ">一支部<" not in pending
    response = client.post(
        reverse("assessment:self_return", args=[cycle.pk, t.branch1.pk]), {"reason": "请补充"}, follow=True
    )
    assert "已退回该单位补充自评" in response.content.decode()
    assert SelfAssessment.objects.get(unit=t.branch1).returned_reason == "请补充"
    returned = client.get(url + "?state=returned").content.decode()
    assert "一支部" in returned and "二支部" not in returned and "新支部0" not in returned


def test_the_home_page_reminds_the_secretary_until_submitted(world, django_assert_max_num_queries):
    t, office, sec1, sec2, cycle, study, rules = world
    today = timezone.localdate()
    with django_assert_max_num_queries(3):
        items = self_home.home_items(sec1, today)
    deadline = cycle.self_deadline.strftime("%Y-%m-%d")
    assert [i.text for i in items] == [f"考核自评待提交（截止 {deadline}）"]
    assert items[0].link == reverse("assessment:self_unit", args=[cycle.pk, t.branch1.pk])
    assert items[0].level == "due"
    assert self_home.home_items(office, today) == []
    assert self_home.home_items(sec1, cycle.self_deadline + timedelta(days=1))[0].level == "late"
    fill(sec1, cycle, t.branch1, study, rules)
    with context.acting(sec1):
        svc.submit(sec1, cycle.pk, t.branch1.pk)
    assert self_home.home_items(sec1, today) == []
    assert len(self_home.home_items(sec2, today)) == 1
    cycle.status = CycleStatus.REVIEW
    cycle.save()
    assert self_home.home_items(sec2, today) == []


def test_a_committee_member_reads_the_unit_page_but_changes_nothing(client, world):
    t, office, sec1, sec2, cycle, study, rules = world
    member = make_user("member1", "committee_member", t.branch1)
    with context.acting(sec1):
        svc.save_score(sec1, cycle.pk, t.branch1.pk, study.pk, "3", "按计划学习")
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="学习记录", upload=pdf())
    client.force_login(member)
    page = client.get(reverse("assessment:self_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    assert "按计划学习" in page and f'name="score_{study.pk}"' not in page and "self-submit" not in page
    assert client.get(reverse("assessment:self_evidence_file", args=[ev.pk])).status_code == 200
    save = reverse("assessment:self_save", args=[cycle.pk, t.branch1.pk])
    assert client.post(save, {f"score_{study.pk}": "1"}).status_code == 404
    assert client.post(reverse("assessment:self_submit", args=[cycle.pk, t.branch1.pk])).status_code == 404
    assert SelfScore.objects.get(indicator=study).score == Decimal(3)


def test_a_withdrawn_file_leaves_the_page_and_is_not_served(client, world):
    t, office, sec1, sec2, cycle, study, rules = world
    with context.acting(sec1):
        ev = svc.add_evidence(sec1, cycle.pk, t.branch1.pk, study.pk, title="错传文件", upload=pdf())
    client.force_login(sec1)
    response = client.post(reverse("assessment:self_evidence_withdraw", args=[ev.pk]), {"reason": "传错了"})
    assert response.status_code == 302
    page = client.get(reverse("assessment:self_unit", args=[cycle.pk, t.branch1.pk])).content.decode()
    assert "错传文件" not in page
    assert client.get(reverse("assessment:self_evidence_file", args=[ev.pk])).status_code == 404
    event = AuditEvent.objects.filter(object_type="assessment.evidence", action="update").get()
    assert event.object_repr.startswith("一支部") and event.after["withdrawn_reason"] == "传错了"

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from dangjian.audit.models import AuditEvent
from dangjian.integration import evidence
from dangjian.workplan import services
from dangjian.workplan.models import DeploymentStatus, PlanItem, WorkPlan

from .factories import make_world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def refused(fn, *args, message: str):
    with pytest.raises(ValidationError) as exc:
        fn(*args)
    assert message in str(exc.value.messages), exc.value.messages


@pytest.fixture
def w():
    return make_world()


def test_only_the_office_starts_the_committee_plan(w):
    refused(services.create_plan, w.sec1, w.t.root, w.year + 1, message="只有党委办公室可以维护党委年度工作要点")
    refused(services.create_plan, w.office, w.t.branch1, w.year + 1, message="只有党委办公室可以维护党委年度工作要点")
    refused(services.create_plan, w.office, w.t.root, w.year, message="该组织本年度已有工作计划")
    plan = services.create_plan(w.office, w.t.root, w.year + 1)
    assert plan.title == f"测试所党委{w.year + 1}年党建工作要点"
    assert AuditEvent.objects.filter(object_type__endswith="workplan", object_id=str(plan.pk)).exists()


def test_publishing_needs_items_a_number_and_a_past_date(w):
    plan = services.create_plan(w.office, w.t.root, w.year + 1)
    today = timezone.localdate()
    refused(services.publish_plan, w.office, plan.pk, "", today, message="请填写文号")
    refused(services.publish_plan, w.office, plan.pk, "1号", today + timedelta(days=1), message="印发日期不能晚于今天")
    refused(services.publish_plan, w.office, plan.pk, "1号", today, message="计划还没有工作事项，不能印发")
    refused(services.publish_plan, w.office, w.plan.pk, "1号", today, message="该计划已印发")
    with pytest.raises(Http404):  # the committee's plan is outside a secretary's scope
        services.publish_plan(w.sec1, plan.pk, "1号", today)


def test_items_keep_their_order_and_links(w):
    second = services.save_item(w.office, w.plan.pk, {"category": "组织建设", "title": "规范组织生活"})
    assert second.order == w.item.order + 1
    assert services.move_item(w.office, second.pk, up=True)
    assert list(w.plan.items.values_list("pk", flat=True)) == [second.pk, w.item.pk]
    assert not services.move_item(w.office, second.pk, up=True)
    assert list(w.item.projects.all()) == [w.task]
    refused(services.save_item, w.office, w.plan.pk, {"title": " "}, message="请填写工作事项")
    with pytest.raises(Http404):
        services.save_item(w.sec1, w.plan.pk, {"title": "x"})


def test_deploying_checks_the_four_points(w):
    base = {"organization": w.t.branch2, "responsible": w.c, "measure": "落实", "deadline": date(w.year, 6, 30)}
    refused(services.deploy, w.office, w.item.pk, {**base, "responsible": w.a}, message="责任人应为责任单位的党员")
    refused(services.deploy, w.office, w.item.pk, {**base, "measure": ""}, message="请填写工作措施")
    refused(
        services.deploy,
        w.office,
        w.item.pk,
        {**base, "deadline": date(w.year + 1, 1, 1)},
        message="完成时限应在计划年度内",
    )
    refused(
        services.deploy,
        w.office,
        w.item.pk,
        {**base, "organization": w.t.branch1, "responsible": w.a},
        message="该事项已部署到该单位",
    )
    draft = services.create_plan(w.office, w.t.root, w.year + 1)
    item = services.save_item(w.office, draft.pk, {"title": "x"})
    refused(services.deploy, w.office, item.pk, base, message="计划印发后才能部署工作事项")
    dep = services.deploy(w.office, w.item.pk, base)
    assert dep.status == DeploymentStatus.OPEN and dep.deployed_by == w.office


def test_a_secretary_cannot_keep_the_committee_plan_items_deployed_to_the_branch(w):
    with pytest.raises(Http404):  # the committee's item is seen through its deployment, not editable
        services.save_item(w.sec1, w.plan.pk, {"title": "x"}, item_id=w.item.pk)
    refused(services.cancel, w.sec1, w.dep.pk, "不做了", message="只有党委办公室可以维护党委年度工作要点")


def test_a_branch_derives_its_plan_from_the_issued_committee_plan(w):
    refused(services.derive_plan, w.sec1, w.t.branch1, w.year + 1, message="上级党组织本年度的工作要点尚未印发")
    refused(services.derive_plan, w.office, w.t.root, w.year, message="党委的工作要点由党委办公室制定")
    with pytest.raises(Http404):
        services.derive_plan(w.sec2, w.t.branch1, w.year)
    plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
    assert plan.parent == w.plan
    (copy,) = plan.items.all()
    assert copy.source == w.item and copy.title == w.item.title and list(copy.lines.all()) == [w.line]
    # editable, and the branch adds and deploys its own items inside the branch
    services.save_item(w.sec1, plan.pk, {"title": "支部攻关", "category": copy.category}, item_id=copy.pk)
    own = services.save_item(w.sec1, plan.pk, {"title": "支部自选动作"})
    services.publish_plan(w.sec1, plan.pk, "一支部〔1〕号", date(w.year, 2, 1))
    w.b.memberships.update(group=w.t.group1)
    dep = services.deploy(
        w.sec1,
        own.pk,
        {"organization": w.t.group1, "responsible": w.b, "measure": "m", "deadline": date(w.year, 9, 1)},
    )
    assert dep.organization == w.t.group1
    refused(
        services.deploy,
        w.sec1,
        own.pk,
        {"organization": w.t.branch2, "responsible": w.c, "measure": "m", "deadline": date(w.year, 9, 1)},
        message="责任单位应在本计划所属党组织范围内",
    )
    refused(services.derive_plan, w.sec1, w.t.branch1, w.year, message="该组织本年度已有工作计划")
    # a cancelled deployment is not copied
    services.cancel(w.office, w.dep.pk, "调整")
    assert PlanItem.objects.filter(plan__organization=w.t.branch1).count() == 2


def test_progress_with_evidence_then_done(w, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    report = services.report_progress(
        w.sec1, w.dep.pk, {"percent": 50, "content": "已组建突击队"}, [("突击队名单", upload)]
    )
    assert [e.title for e in evidence.of(report)] == ["突击队名单"]
    refused(
        services.report_progress, w.sec1, w.dep.pk, {"percent": 120, "content": "x"}, message="完成进度应在0到100之间"
    )
    refused(services.report_progress, w.sec1, w.dep.pk, {"percent": 10, "content": ""}, message="请填写推进情况")
    refused(
        services.report_progress,
        w.sec1,
        w.dep.pk,
        {"percent": 10, "content": "x", "year": w.year + 1, "quarter": 1},
        message="不能报告尚未开始的季度",
    )
    with pytest.raises(Http404):
        services.report_progress(w.sec2, w.dep.pk, {"percent": 10, "content": "x"})
    today = timezone.localdate()
    refused(services.mark_done, w.sec1, w.dep.pk, today + timedelta(days=1), message="完成日期不能晚于今天")
    dep = services.mark_done(w.sec1, w.dep.pk, today)
    assert dep.status == DeploymentStatus.DONE and dep.completed_on == today
    refused(services.mark_done, w.sec1, w.dep.pk, today, message="该任务已完成或已取消")
    refused(
        services.report_progress, w.sec1, w.dep.pk, {"percent": 100, "content": "x"}, message="该任务已完成或已取消"
    )
    refused(services.cancel, w.office, w.dep.pk, "x", message="只有推进中的任务可以取消")


def test_the_responsible_member_reports_on_their_own_deployment(w):
    plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
    own = services.save_item(w.sec1, plan.pk, {"title": "自选"})
    services.publish_plan(w.sec1, plan.pk, "1号", date(w.year, 2, 1))
    dep = services.deploy(
        w.sec1,
        own.pk,
        {"organization": w.t.branch1, "responsible": w.b, "measure": "m", "deadline": date(w.year, 9, 1)},
    )
    services.report_progress(w.member, dep.pk, {"percent": 30, "content": "推进中"})
    with pytest.raises(Http404):  # not theirs
        services.report_progress(w.member, w.dep.pk, {"percent": 30, "content": "推进中"})


def test_cancel_needs_a_reason(w):
    refused(services.cancel, w.office, w.dep.pk, " ", message="请填写取消原因")
    dep = services.cancel(w.office, w.dep.pk, "任务调整")
    assert dep.status == DeploymentStatus.CANCELLED and dep.cancel_reason == "任务调整"
    assert WorkPlan.objects.count() == 1


def test_the_other_refusals(w):
    base = {"organization": w.t.branch2, "responsible": w.c, "measure": "落实", "deadline": date(w.year, 6, 30)}
    refused(services.deploy, w.office, w.item.pk, {**base, "organization": None}, message="请选择责任单位")
    refused(services.deploy, w.office, w.item.pk, {**base, "responsible": None}, message="请选择责任人")
    refused(services.deploy, w.office, w.item.pk, {**base, "deadline": None}, message="请填写完成时限")
    report = {"percent": 10, "content": "x", "quarter": 5}
    refused(services.report_progress, w.sec1, w.dep.pk, report, message="季度应在1到4之间")
    refused(services.mark_done, w.sec1, w.dep.pk, date(w.year - 1, 12, 1), message="完成日期不能早于计划年度")
    refused(services.mark_done, w.sec1, w.dep.pk, None, message="请填写完成日期")
    # a line of another committee is not the office's to link
    from dangjian.integration.models import BusinessLine
    from dangjian.orgs.models import Organization
    from dangjian.testing import make_user

    other = Organization.objects.add_root(
        dict(kind="committee", code="X00", name="他所党委", founded_on=date(2000, 1, 1))
    )
    foreign = BusinessLine.objects.create(organization=other, code="X1", name="他所主业")
    office = type(w.office).objects.get(pk=w.office.pk)  # a fresh request's user: two roots now
    refused(
        services.save_item,
        office,
        w.plan.pk,
        {"title": "x", "lines": [foreign]},
        message="所选主业不在您的查看范围内",
    )
    # a committee member of the branch sees the branch's plan but does not keep it
    plan = services.derive_plan(w.sec1, w.t.branch1, w.year)
    viewer = make_user("cm1", "committee_member", w.t.branch1)
    refused(services.save_item, viewer, plan.pk, {"title": "x"}, message="您无权维护该工作计划")
    refused(services.create_plan, viewer, w.t.root, w.year + 1, message="只有党委办公室可以维护党委年度工作要点")

"""支部共建: partners (one name once per registering organisation), agreements ended by their end date, joint
activities with evidence; branch A's secretary maintains branch A's, branch B's secretary gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.integration import evidence
from dangjian.integration import joint as services
from dangjian.integration.models import JointActivity, JointBuilding, Partner, Project
from dangjian.testing import login_with_second_factor

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _partner(personas, name="清华大学精仪系", org=None):
    return services.register_partner(
        personas.secretary, {"organization": org or personas.tree.branch1, "name": name, "kind": "university"}
    )


def _agreement(personas, partner=None, **data):
    partner = partner or _partner(personas)
    values = {"title": "校所共建协议", "content": "围绕计量标准联合攻关", "starts_on": date(2026, 1, 1), **data}
    return services.create_agreement(personas.secretary, partner.pk, values)


def test_a_secretary_registers_a_partner_and_the_write_is_audited(personas):
    partner = _partner(personas, name="  清华大学  精仪系 ")
    assert partner.name == "清华大学 精仪系"
    assert partner.organization == personas.tree.branch1
    assert AuditEvent.objects.filter(object_type__endswith="partner", object_id=str(partner.pk)).exists()


def test_the_same_name_twice_in_one_organisation_is_refused_in_chinese(personas):
    _partner(personas)
    with pytest.raises(ValidationError) as exc:
        _partner(personas, name="清华大学精仪系")
    assert "本组织已登记名为“清华大学精仪系”的共建单位" in exc.value.message_dict["name"][0]
    # another organisation may register the same partner
    other = services.register_partner(
        personas.other_secretary, {"organization": personas.tree.branch2, "name": "清华大学精仪系"}
    )
    assert other.kind == "other"


def test_renaming_a_partner_to_an_existing_name_is_refused(personas):
    _partner(personas, name="甲公司")
    second = _partner(personas, name="乙公司")
    with pytest.raises(ValidationError):
        services.edit_partner(personas.secretary, second.pk, {"name": "甲公司", "kind": "supplier"})
    edited = services.edit_partner(personas.secretary, second.pk, {"name": "丙公司", "kind": "supplier"})
    assert (edited.name, edited.kind) == ("丙公司", "supplier")


def test_a_secretary_cannot_register_a_partner_for_another_branch(personas):
    from django.http import Http404

    with pytest.raises(Http404):
        _partner(personas, org=personas.tree.branch2)


def test_an_agreement_serves_a_key_task_or_a_stage_not_both(personas):
    t = personas.tree
    project = Project.objects.create(code="K1", name="计量装置研制", organization=t.branch1, starts_on=date(2026, 1, 1))
    from dangjian.integration.models import BusinessLine, ProcessStage

    line = BusinessLine.objects.create(organization=t.root, code="L1", name="计量校准服务")
    stage = ProcessStage.objects.create(line=line, name="实施")
    partner = _partner(personas)
    with pytest.raises(ValidationError) as exc:
        _agreement(personas, partner, project=project, stage=stage)
    assert "只能选择其一" in str(exc.value)
    agreement = _agreement(personas, partner, project=project)
    assert agreement.project == project and agreement.organization == t.branch1


def test_an_agreement_ending_before_it_starts_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        _agreement(personas, ends_on=date(2025, 12, 1))
    assert exc.value.message_dict["ends_on"] == ["结束日期不能早于开始日期"]


def test_ending_an_agreement_keeps_it_and_refuses_a_second_end(personas):
    agreement = _agreement(personas)
    services.add_activity(
        personas.secretary, agreement.pk, {"held_on": date(2026, 3, 1), "title": "联合党日", "content": "参观"}
    )
    with pytest.raises(ValidationError) as exc:
        services.end_agreement(personas.secretary, agreement.pk, date(2026, 2, 1))
    assert "结束日期不能早于已记录的共建活动日期" in exc.value.message_dict["ends_on"][0]
    services.end_agreement(personas.secretary, agreement.pk, date(2026, 6, 30))
    assert JointBuilding.objects.get(pk=agreement.pk).ends_on == date(2026, 6, 30)
    with pytest.raises(ValidationError) as exc:
        services.end_agreement(personas.secretary, agreement.pk, date(2026, 7, 1))
    assert "已于 2026-06-30 结束" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        services.add_activity(
            personas.secretary, agreement.pk, {"held_on": date(2026, 7, 5), "title": "晚了", "content": "x"}
        )
    assert exc.value.message_dict["held_on"] == ["活动日期不在共建协议的起止期间内"]


def test_an_activity_with_its_evidence_file(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = _agreement(personas)
    activity = services.add_activity(
        personas.secretary,
        agreement.pk,
        {"held_on": date(2026, 3, 1), "title": "联合主题党日", "content": "参观实验室", "results": "签订合作意向"},
        evidence_title="活动照片",
        upload=SimpleUploadedFile("a.png", PNG),
    )
    services.add_activity_evidence(personas.secretary, activity.pk, "签到表", SimpleUploadedFile("b.png", PNG))
    assert [e.title for e in evidence.of(activity)] == ["活动照片", "签到表"]


def test_the_other_branchs_secretary_gets_404_on_every_page(client, personas):
    agreement = _agreement(personas)
    activity = services.add_activity(
        personas.secretary, agreement.pk, {"held_on": date(2026, 3, 1), "title": "联合党日", "content": "参观"}
    )
    login_with_second_factor(client, personas.other_secretary)
    pk = agreement.partner_id
    for name, arg in [
        ("partner_detail", pk),
        ("partner_edit", pk),
        ("joint_create", pk),
        ("joint_detail", agreement.pk),
        ("joint_edit", agreement.pk),
        ("joint_end", agreement.pk),
        ("joint_activity_create", agreement.pk),
        ("joint_evidence_add", activity.pk),
    ]:
        assert client.get(reverse(f"integration:{name}", args=[arg])).status_code == 404, name
    listed = client.get(reverse("integration:partner_list")).content.decode()
    assert "清华大学精仪系" not in listed


def test_the_pages_write_through_the_services(client, personas):
    login_with_second_factor(client, personas.secretary)
    response = client.post(
        reverse("integration:partner_create"),
        {"organization": personas.tree.branch1.pk, "name": "某社区", "kind": "community"},
    )
    partner = Partner.objects.get(name="某社区")
    assert response["Location"] == reverse("integration:partner_detail", args=[partner.pk])
    response = client.post(
        reverse("integration:partner_create"),
        {"organization": personas.tree.branch1.pk, "name": "某社区", "kind": "community"},
    )
    assert response.status_code == 200
    assert "请勿重复登记" in response.context["form"].errors["name"][0]
    response = client.post(
        reverse("integration:joint_create", args=[partner.pk]),
        {"title": "社区共建", "content": "志愿服务", "starts_on": "2026-01-01"},
    )
    agreement = JointBuilding.objects.get()
    assert response["Location"] == reverse("integration:joint_detail", args=[agreement.pk])
    response = client.post(reverse("integration:joint_end", args=[agreement.pk]), {"ends_on": "2026-05-01"})
    assert response.status_code == 302
    page = client.get(reverse("integration:joint_detail", args=[agreement.pk]))
    assert page.status_code == 200 and "2026-05-01" in page.content.decode()


def _lists(client):
    out = {}
    for name in ("partner_list", "joint_list"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"integration:{name}")).status_code == 200
        out[name] = len(queries)
    return out


def test_the_lists_keep_their_query_count(client, personas):
    login_with_second_factor(client, personas.secretary)
    first = _agreement(personas, _partner(personas, name="单位0"))
    services.add_activity(
        personas.secretary, first.pk, {"held_on": date(2026, 3, 1), "title": "活动", "content": "内容"}
    )
    client.get(reverse("integration:partner_list"))
    one = _lists(client)
    with CaptureQueriesContext(connection) as q1:
        client.get(reverse("integration:joint_detail", args=[first.pk]))
    for i in range(1, 3):
        agreement = _agreement(personas, _partner(personas, name=f"单位{i}"))
        services.add_activity(
            personas.secretary, agreement.pk, {"held_on": date(2026, 3, 1), "title": "活动", "content": "内容"}
        )
        services.add_activity(
            personas.secretary, first.pk, {"held_on": date(2026, 4, i), "title": "活动", "content": "内容"}
        )
    assert _lists(client) == one
    with CaptureQueriesContext(connection) as q3:
        client.get(reverse("integration:joint_detail", args=[first.pk]))
    assert len(q3) == len(q1)
    assert JointActivity.objects.filter(joint_building=first).count() == 3

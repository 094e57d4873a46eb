"""支部共建: partner organisations outside the tree, the agreements with them and the joint activities held under
an agreement (issue 15 §4). Each write in one transaction, audited, the scope re-checked on the locked row.

A partner is registered by one organisation and its name is unique there (the same university registered twice
would split its agreements in two). An agreement belongs to the partner's registering organisation and may serve
a key task or a stage of a business line (the matrix column ``joint_building``); it ends when ``ends_on`` is set.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization

from . import evidence
from .links import reachable_stages
from .models import JointActivity, JointBuilding, Partner, PartnerKind, ProcessStage, Project

VIEW = "integration.view"
CHANGE = "integration.change"


def _clean_name(name: str) -> str:
    return " ".join((name or "").split())


def _refuse_duplicate(organization_id: int, name: str, exclude: int | None = None) -> None:
    same = Partner.objects.filter(organization_id=organization_id, name__iexact=name)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"name": _("本组织已登记名为“%(name)s”的共建单位，请勿重复登记") % {"name": name}})


def register_partner(user, data: dict[str, Any]) -> Partner:
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        name = _clean_name(data.get("name", ""))
        if not name:
            raise ValidationError({"name": _("请填写单位名称")})
        _refuse_duplicate(org.pk, name)
        partner = Partner(
            organization=org,
            name=name,
            kind=data.get("kind") or PartnerKind.OTHER,
            **{f: (data.get(f) or "").strip() for f in ("party_organization", "contact", "phone")},
        )
        partner.full_clean()
        partner.save()
        record("create", partner, after=snapshot(partner))
    return partner


def edit_partner(user, partner_id: int, data: dict[str, Any]) -> Partner:
    with transaction.atomic():
        partner = recheck(Partner.objects.all(), user, CHANGE, partner_id)
        before = snapshot(partner)
        name = _clean_name(data.get("name", ""))
        if not name:
            raise ValidationError({"name": _("请填写单位名称")})
        _refuse_duplicate(partner.organization_id, name, exclude=partner.pk)
        for f in ("party_organization", "contact", "phone"):
            setattr(partner, f, (data.get(f) or "").strip())
        partner.name, partner.kind = name, data.get("kind") or partner.kind
        partner.full_clean()
        partner.save()
        record("update", partner, before=before, after=snapshot(partner))
    return partner


def _business_target(user, data: dict[str, Any]) -> tuple[Project | None, ProcessStage | None]:
    """The key task or the stage an agreement serves: at most one, and one the user sees."""
    project, stage = data.get("project"), data.get("stage")
    if project is not None and stage is not None:
        raise ValidationError({"stage": _("重点任务与业务流程环节只能选择其一")})
    if project is not None:
        project = Project.objects.visible_to(user, VIEW).filter(pk=project.pk).first()
        if project is None:
            raise ValidationError({"project": _("该重点任务不在您的查看范围内")})
    if stage is not None:
        stage = reachable_stages(user).filter(pk=stage.pk).first()
        if stage is None:
            raise ValidationError({"stage": _("该业务流程环节不在您的查看范围内")})
    return project, stage


def _check_span(starts_on: date, ends_on: date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})


def create_agreement(user, partner_id: int, data: dict[str, Any]) -> JointBuilding:
    """A 共建协议 with a partner, in the name of the partner's registering organisation."""
    with transaction.atomic():
        partner = recheck(Partner.objects.select_related("organization"), user, CHANGE, partner_id)
        project, stage = _business_target(user, data)
        _check_span(data["starts_on"], data.get("ends_on"))
        agreement = JointBuilding(
            organization=partner.organization,
            partner=partner,
            title=data["title"].strip(),
            content=data["content"].strip(),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            project=project,
            stage=stage,
        )
        agreement.full_clean()
        agreement.save()
        record("create", agreement, after=snapshot(agreement))
    return agreement


def edit_agreement(user, agreement_id: int, data: dict[str, Any]) -> JointBuilding:
    with transaction.atomic():
        agreement = recheck(JointBuilding.objects.all(), user, CHANGE, agreement_id)
        before = snapshot(agreement)
        project, stage = _business_target(user, data)
        _check_span(data["starts_on"], data.get("ends_on"))
        first = agreement.activities.order_by("held_on").values_list("held_on", flat=True).first()
        if first is not None and first < data["starts_on"]:
            raise ValidationError({"starts_on": _("开始日期不能晚于已记录的共建活动日期（%(d)s）") % {"d": first}})
        agreement.title, agreement.content = data["title"].strip(), data["content"].strip()
        agreement.starts_on, agreement.ends_on = data["starts_on"], data.get("ends_on")
        agreement.project, agreement.stage = project, stage
        agreement.full_clean()
        agreement.save()
        record("update", agreement, before=before, after=snapshot(agreement))
    return agreement


def end_agreement(user, agreement_id: int, ends_on: date) -> JointBuilding:
    """The agreement ends on ``ends_on`` (kept with its activities; the matrix counts it in the years it ran)."""
    with transaction.atomic():
        agreement = recheck(JointBuilding.objects.all(), user, CHANGE, agreement_id)
        if agreement.ends_on is not None:
            raise ValidationError(_("该共建协议已于 %(d)s 结束") % {"d": agreement.ends_on})
        _check_span(agreement.starts_on, ends_on)
        last = agreement.activities.order_by("-held_on").values_list("held_on", flat=True).first()
        if last is not None and last > ends_on:
            raise ValidationError({"ends_on": _("结束日期不能早于已记录的共建活动日期（%(d)s）") % {"d": last}})
        before = snapshot(agreement)
        agreement.ends_on = ends_on
        agreement.save(update_fields=["ends_on", "updated_at"])
        record("update", agreement, before=before, after=snapshot(agreement), detail={"change": "end"})
    return agreement


def add_activity(
    user, agreement_id: int, data: dict[str, Any], *, evidence_title: str = "", upload: Any = None
) -> JointActivity:
    """A joint activity held under the agreement, with its results and, optionally, an evidence file."""
    with transaction.atomic():
        agreement = recheck(JointBuilding.objects.all(), user, CHANGE, agreement_id)
        held_on = data["held_on"]
        if held_on < agreement.starts_on or (agreement.ends_on is not None and held_on > agreement.ends_on):
            raise ValidationError({"held_on": _("活动日期不在共建协议的起止期间内")})
        activity = JointActivity(
            joint_building=agreement,
            held_on=held_on,
            title=data["title"].strip(),
            content=data["content"].strip(),
            results=(data.get("results") or "").strip(),
            created_by=user,
        )
        activity.full_clean()
        activity.save()
        record("create", activity, after=snapshot(activity), object_repr=f"{agreement} · {activity.title}")
        if upload is not None:
            evidence.attach(user, activity, evidence_title or activity.title, upload)
    return activity


def activity_in_scope(user, activity_id: int) -> JointActivity:
    """An activity whose agreement the user maintains (404 otherwise): evidence is attached to it."""
    agreements = JointBuilding.objects.visible_to(user, CHANGE)
    activity = (
        JointActivity.objects.filter(pk=activity_id, joint_building__in=agreements.values("pk"))
        .select_related("joint_building")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


def add_activity_evidence(user, activity_id: int, title: str, upload: Any):
    with transaction.atomic():
        activity = activity_in_scope(user, activity_id)
        return evidence.attach(user, activity, title, upload)

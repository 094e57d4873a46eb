"""党员示范岗: the branch applies, the committee office approves (授牌) or rejects, the branch reviews each year and a
score below the institute's threshold (本单位设置, ``rule_data.POST_MIN_SCORE``) withdraws the post; the office may
withdraw it with a reason. Every write in one transaction, audited, scope re-checked; nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.orgs.models import Organization, OrgKind
from dangjian.people.models import Membership, Person
from dangjian.rules import services as rule_store

from .models import ModelPost, ModelPostKind, ModelPostReview, ModelPostStatus, ProcessStage, Project
from .rule_data import POST_MIN_SCORE, POSTS_RULES

VIEW = "integration.view"
CHANGE = "integration.change"
MANAGE = "integration.manage"
FIELDS = (
    "organization",
    "kind",
    "holder",
    "collective",
    "name",
    "duties",
    "commitment",
    "project",
    "stage",
    "starts_on",
    "ends_on",
)


def branches(user):
    """The active branches the user maintains: where posts and zones are set."""
    return Organization.objects.visible_to(user, CHANGE).active().filter(kind=OrgKind.BRANCH).order_by("path")


def members_of(organizations) -> Any:
    """The current members (on the rolls) of ``organizations`` (a queryset of organisations)."""
    rows = Membership.objects.current().filter(organization__in=organizations).values("person_id")
    return Person.objects.filter(pk__in=rows).order_by("name", "pk")


def is_member_of(person: Person, org: Organization) -> bool:
    return Membership.objects.current().filter(person=person, organization=org).exists()


def check_business(user, data: dict) -> None:
    """The key task or stage a carrier serves must be one the user sees."""
    project, stage = data.get("project"), data.get("stage")
    if project is not None and not Project.objects.visible_to(user, VIEW).filter(pk=project.pk).exists():
        raise ValidationError({"project": _("该重点任务不在您的管理范围内")})
    if stage is not None and not ProcessStage.objects.visible_to(user, VIEW).filter(pk=stage.pk).exists():
        raise ValidationError({"stage": _("该业务流程环节不在您的管理范围内")})


def threshold(post: ModelPost, on: date) -> Decimal:
    """The least score that keeps a post, as the institute (or the post's subtree) sets it on ``on``."""
    return Decimal(str(rule_store.table(POSTS_RULES, post.organization).value(POST_MIN_SCORE, on)))


def fmt(number: Decimal) -> str:
    """A score as people write it: 80, 79.5 (never 8E+1)."""
    text = f"{Decimal(number):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def apply(user, data: dict) -> ModelPost:
    """The branch applies for a post: a current member of the branch (个人), or a collective by name (集体)."""
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, CHANGE, data["organization"].pk)
        if org.kind != OrgKind.BRANCH:
            raise ValidationError({"organization": _("示范岗由党支部申请")})
        check_business(user, data)
        values = {f: data.get(f) for f in FIELDS}
        values["organization"] = org
        values["collective"] = (values.get("collective") or "").strip()
        if values["kind"] == ModelPostKind.INDIVIDUAL:
            holder = values.get("holder")
            if holder is None:
                raise ValidationError({"holder": _("个人示范岗请选择岗位党员")})
            if not is_member_of(holder, org):
                raise ValidationError({"holder": _("岗位党员应为本支部的在册党员")})
            values["collective"] = ""
        else:
            if not values["collective"]:
                raise ValidationError({"collective": _("集体示范岗请填写集体名称")})
            values["holder"] = None
        if values.get("ends_on") and values["ends_on"] < values["starts_on"]:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
        post = ModelPost(**values, applied_by=user, status=ModelPostStatus.APPLIED)
        post.full_clean()
        post.save()
        record("create", post, after=snapshot(post))
    return post


def _next_plate(on: date) -> str:
    prefix = f"SFG{on.year}-"
    used = ModelPost._base_manager.filter(plate_no__startswith=prefix).values_list("plate_no", flat=True)
    numbers = [int(p[len(prefix) :]) for p in used if p[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def _decided(post: ModelPost, on: date | None) -> date:
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"decided_on": _("审批日期不能晚于今天")})
    return on


def approve(user, pk: int, *, plate_no: str = "", decided_on: date | None = None, note: str = "") -> ModelPost:
    """The committee office approves and presents the plate (授牌): the number entered, or the next of the year."""
    with transaction.atomic():
        post = recheck(ModelPost.objects.select_related("organization"), user, MANAGE, pk)
        if post.status != ModelPostStatus.APPLIED:
            raise ValidationError(_("只有申请中的示范岗可以审批"))
        on = _decided(post, decided_on)
        plate_no = (plate_no or "").strip() or _next_plate(on)
        if ModelPost._base_manager.filter(plate_no=plate_no).exclude(pk=post.pk).exists():
            raise ValidationError({"plate_no": _("授牌编号“%(no)s”已被使用") % {"no": plate_no}})
        before = snapshot(post)
        post.status, post.plate_no = ModelPostStatus.APPROVED, plate_no
        post.decided_on, post.decided_by, post.decision_note = on, user, (note or "").strip()
        post.save()
        record("update", post, before=before, after=snapshot(post), detail={"change": "approve"})
    return post


def reject(user, pk: int, *, reason: str, decided_on: date | None = None) -> ModelPost:
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写不予批准的理由")})
    with transaction.atomic():
        post = recheck(ModelPost.objects.select_related("organization"), user, MANAGE, pk)
        if post.status != ModelPostStatus.APPLIED:
            raise ValidationError(_("只有申请中的示范岗可以审批"))
        on = _decided(post, decided_on)
        before = snapshot(post)
        post.status, post.decided_on, post.decided_by = ModelPostStatus.REJECTED, on, user
        post.decision_note = reason.strip()
        post.save()
        record("update", post, before=before, after=snapshot(post), detail={"change": "reject"})
    return post


def review(
    user,
    pk: int,
    *,
    year: int,
    score: Decimal,
    comment: str = "",
    reviewed_on: date | None = None,
) -> ModelPostReview:
    """The branch's yearly review (评议). Below the threshold in force on the review day the post is withdrawn
    (摘牌) that day; the review and the withdrawal are both kept."""
    reviewed_on = reviewed_on or timezone.localdate()
    if score is None or not Decimal(0) <= Decimal(score) <= Decimal(100):
        raise ValidationError({"score": _("评议得分应在0到100之间")})
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("评议日期不能晚于今天")})
    with transaction.atomic():
        post = recheck(ModelPost.objects.select_related("organization"), user, CHANGE, pk)
        if post.status != ModelPostStatus.APPROVED:
            raise ValidationError(_("只有已授牌的示范岗可以评议"))
        if not post.starts_on.year <= year <= reviewed_on.year:
            raise ValidationError({"year": _("评议年度应在示范岗开始年度与评议日期所在年度之间")})
        if post.reviews.filter(year=year).exists():
            raise ValidationError({"year": _("该示范岗%(year)s年度已评议，不能重复评议") % {"year": year}})
        least = threshold(post, reviewed_on)
        row = ModelPostReview(
            post=post,
            year=year,
            score=Decimal(score),
            reviewed_on=reviewed_on,
            comment=(comment or "").strip(),
            kept=Decimal(score) >= least,
            reviewed_by=user,
        )
        row.full_clean()
        row.save()
        record("create", row, after=snapshot(row), object_repr=f"{post} · {year}")
        if not row.kept:
            before = snapshot(post)
            post.status, post.withdrawn_on = ModelPostStatus.WITHDRAWN, reviewed_on
            post.withdraw_reason = _("评议得分低于%(min)s分（%(year)s年度得分%(score)s）") % {
                "min": fmt(least),
                "year": year,
                "score": fmt(row.score),
            }
            post.save()
            record("update", post, before=before, after=snapshot(post), detail={"change": "withdraw_by_review"})
    return row


def withdraw(user, pk: int, *, reason: str, withdrawn_on: date | None = None) -> ModelPost:
    """The committee office withdraws a post (摘牌) with a reason; its plate, reviews and decision stay on record."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤销原因")})
    on = withdrawn_on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("撤销日期不能晚于今天")})
    with transaction.atomic():
        post = recheck(ModelPost.objects.select_related("organization"), user, MANAGE, pk)
        if post.status != ModelPostStatus.APPROVED:
            raise ValidationError(_("只有已授牌的示范岗可以撤销"))
        if post.decided_on and on < post.decided_on:
            raise ValidationError({"withdrawn_on": _("撤销日期不能早于授牌日期")})
        before = snapshot(post)
        post.status, post.withdrawn_on, post.withdraw_reason = ModelPostStatus.WITHDRAWN, on, reason.strip()
        post.save()
        record("update", post, before=before, after=snapshot(post), detail={"change": "withdraw"})
    return post

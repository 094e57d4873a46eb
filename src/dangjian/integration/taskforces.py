"""Writes for 党员突击队 and 党员攻关团队; each in one transaction, audited, its scope re-checked.

The committee (its office, ``integration.manage``) forms a team for a named key task, presents its flag and
disbands it with a summary; the organisation running the team (``integration.change``: its secretary, or the
office) keeps the roster and records the progress reports. A roster entry is never deleted: a person leaving
gets a ``left_on`` date, so the team's history stays readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.development.periods import add_months
from dangjian.meetings.models import Meeting
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import evidence
from .models import (
    Project,
    Taskforce,
    TaskforceMember,
    TaskforceReport,
    TaskforceRole,
    TaskforceStatus,
)

VIEW = "integration.view"
CHANGE = "integration.change"
MANAGE = "integration.manage"

# 临时党支部: 《中国共产党支部工作条例（试行）》第五条 "为期6个月以上的工程、工作项目等，符合条件的，应当成立党支部"
# and 《中国共产党章程》第三十条 "凡是有正式党员三人以上的，都应当成立党的基层组织". A team with three or more full
# members on its roster working together for six months or more is such a project (RULES.md has no line of its own).
TEMP_BRANCH_MEMBERS = 3
TEMP_BRANCH_MONTHS = 6
TEMP_BRANCH_RULE = gettext_lazy(
    "《中国共产党支部工作条例（试行）》第五条：“为期6个月以上的工程、工作项目等，符合条件的，应当成立党支部。”"
    "《中国共产党章程》第三十条：“凡是有正式党员三人以上的，都应当成立党的基层组织。”"
    "本队正式党员3人以上、共同工作6个月以上，应当按规定成立临时党支部。"
)
FULL_MEMBER = "member"


def _require_manage(user, organization: Organization) -> None:
    if not can(user, MANAGE, organization):
        raise ValidationError(_("只有党委办公室可以在其管理范围内组建突击队、攻关团队"))


def _project_in_scope(user, project: Project | None) -> Project:
    if project is None:
        raise ValidationError({"project": _("请选择队伍承担的重点任务")})
    found = Project.objects.visible_to(user, VIEW).filter(pk=project.pk).first()
    if found is None:
        raise ValidationError({"project": _("该重点任务不在您的管理范围内")})
    return found


def form_team(user, data: dict[str, Any]) -> Taskforce:
    """The committee forms a team (组建) for a key task; the organisation named runs it."""
    organization = data.get("organization")
    if organization is None:
        raise ValidationError({"organization": _("请选择组建队伍的党组织")})
    with transaction.atomic():
        org = recheck(Organization.objects.all(), user, MANAGE, organization.pk)
        _require_manage(user, org)
        project = _project_in_scope(user, data.get("project"))
        if not (data.get("mission") or "").strip():
            raise ValidationError({"mission": _("请填写任务目标")})
        team = Taskforce(
            organization=org,
            project=project,
            kind=data["kind"],
            name=data["name"].strip(),
            mission=data["mission"].strip(),
            notice_no=(data.get("notice_no") or "").strip(),
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            created_by=user,
        )
        if team.ends_on and team.ends_on < team.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于组建日期")})
        team.full_clean()
        team.save()
        record("create", team, after=snapshot(team))
    return team


EDITABLE_FIELDS = ("name", "mission", "notice_no", "ends_on")


def edit_team(user, pk: int, data: dict[str, Any]) -> Taskforce:
    """The committee corrects a team's name, mission, notice number or planned end (not its task or its start)."""
    with transaction.atomic():
        team = _active_team(user, pk, MANAGE)
        if not (data.get("mission") or "").strip():
            raise ValidationError({"mission": _("请填写任务目标")})
        if data.get("ends_on") and data["ends_on"] < team.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于组建日期")})
        before = snapshot(team)
        team.name, team.mission = data["name"].strip(), data["mission"].strip()
        team.notice_no, team.ends_on = (data.get("notice_no") or "").strip(), data.get("ends_on")
        team.full_clean()
        team.save(update_fields=[*EDITABLE_FIELDS, "updated_at"])
        record("update", team, before=before, after=snapshot(team))
    return team


def _active_team(user, pk: int, perm: str) -> Taskforce:
    team = recheck(Taskforce.objects.all(), user, perm, pk)
    if team.status != TaskforceStatus.ACTIVE:
        raise ValidationError(_("该队伍已解散，不能再修改"))
    return team


def present_flag(user, pk: int, on: date) -> Taskforce:
    """授旗: the committee presents the team's flag, on a day not before the team was formed."""
    with transaction.atomic():
        team = _active_team(user, pk, MANAGE)
        if team.flag_presented_on is not None:
            raise ValidationError(_("该队伍已于%(day)s授旗") % {"day": team.flag_presented_on.isoformat()})
        if on < team.starts_on:
            raise ValidationError({"flag_presented_on": _("授旗日期不能早于组建日期")})
        if on > timezone.localdate():
            raise ValidationError({"flag_presented_on": _("授旗日期不能晚于今天")})
        before = snapshot(team)
        team.flag_presented_on = on
        team.save(update_fields=["flag_presented_on", "updated_at"])
        record("update", team, before=before, after=snapshot(team), detail={"change": "flag"})
    return team


def roster_candidates(user):
    """Who may be put on a roster: the people in the user's scope — members, activists and non-member staff of
    the departments the user's organisations cover."""
    return Person.objects.visible_to(user, CHANGE).order_by("sort_key", "name", "pk")


def add_member(user, pk: int, data: dict[str, Any]) -> TaskforceMember:
    """Puts a person on the roster as captain, vice-captain or member; a team has one captain at a time."""
    person = data.get("person")
    if person is None:
        raise ValidationError({"person": _("请选择人员")})
    with transaction.atomic():
        team = _active_team(user, pk, CHANGE)
        if not roster_candidates(user).filter(pk=person.pk).exists():
            raise ValidationError({"person": _("该人员不在您的管理范围内")})
        joined_on = data.get("joined_on") or team.starts_on
        if joined_on < team.starts_on:
            raise ValidationError({"joined_on": _("加入日期不能早于队伍组建日期")})
        current = TaskforceMember.objects.filter(taskforce=team, left_on__isnull=True)
        if current.filter(person_id=person.pk).exists():
            raise ValidationError({"person": _("该人员已在队伍名单中")})
        role = data.get("role") or TaskforceRole.MEMBER
        if role == TaskforceRole.CAPTAIN and current.filter(role=TaskforceRole.CAPTAIN).exists():
            raise ValidationError({"role": _("该队伍已有队长，请先办理原队长离队")})
        place = TaskforceMember(taskforce=team, person=person, role=role, joined_on=joined_on)
        place.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                place.save()
        except IntegrityError:  # the same person added twice at once
            raise ValidationError({"person": _("该人员已在队伍名单中")}) from None
        record("create", place, after=snapshot(place), object_repr=f"{team} · {person}")
    return place


def leave(user, member_pk: int, left_on: date) -> TaskforceMember:
    """A person leaves the team (离队): the entry stays on the roster's history with the date."""
    with transaction.atomic():
        place = TaskforceMember.objects.select_for_update().filter(pk=member_pk).select_related("person").first()
        if place is None:
            raise Http404
        team = _active_team(user, place.taskforce_id, CHANGE)
        if place.left_on is not None:
            raise ValidationError(_("该队员已离队"))
        if left_on < place.joined_on:
            raise ValidationError({"left_on": _("离队日期不能早于加入日期")})
        before = snapshot(place)
        place.left_on = left_on
        place.save(update_fields=["left_on", "updated_at"])
        record("update", place, before=before, after=snapshot(place), object_repr=f"{team} · {place.person}")
    return place


def report_meetings(user):
    """Meetings a report may name: those of the committees in the user's scope (进展汇报 at committee meetings)."""
    return (
        Meeting.objects.visible_to(user, "meetings.view")
        .filter(organization__kind="committee")
        .select_related("organization")
        .order_by("-starts_at", "pk")
    )


def add_report(user, pk: int, data: dict[str, Any], *, upload: Any = None, title: str = "") -> TaskforceReport:
    """A progress report, optionally made at a committee meeting, optionally with an evidence file."""
    with transaction.atomic():
        team = _active_team(user, pk, CHANGE)
        if not (data.get("content") or "").strip():
            raise ValidationError({"content": _("请填写进展情况")})
        reported_on = data.get("reported_on")
        if reported_on is None:
            raise ValidationError({"reported_on": _("请填写汇报日期")})
        if reported_on < team.starts_on:
            raise ValidationError({"reported_on": _("汇报日期不能早于队伍组建日期")})
        if reported_on > timezone.localdate():
            raise ValidationError({"reported_on": _("汇报日期不能晚于今天")})
        meeting = data.get("meeting")
        if meeting is not None and not report_meetings(user).filter(pk=meeting.pk).exists():
            raise ValidationError({"meeting": _("只能选择您管理范围内党委的会议")})
        report = TaskforceReport(
            taskforce=team, reported_on=reported_on, content=data["content"].strip(), meeting=meeting, reported_by=user
        )
        report.full_clean()
        report.save()
        record("create", report, after=snapshot(report), object_repr=f"{team} · {reported_on.isoformat()}")
        if upload is not None:
            evidence.attach(user, report, title or _("进展汇报材料"), upload)
    return report


def disband(user, pk: int, on: date, summary: str) -> Taskforce:
    """解散: the committee disbands the team with its summary (工作总结); the team's span ends that day."""
    if not (summary or "").strip():
        raise ValidationError({"summary": _("解散队伍须填写工作总结")})
    with transaction.atomic():
        team = _active_team(user, pk, MANAGE)
        if on < team.starts_on:
            raise ValidationError({"ends_on": _("解散日期不能早于组建日期")})
        if on > timezone.localdate():
            raise ValidationError({"ends_on": _("解散日期不能晚于今天")})
        before = snapshot(team)
        team.status, team.summary, team.ends_on = TaskforceStatus.DISBANDED, summary.strip(), on
        team.save(update_fields=["status", "summary", "ends_on", "updated_at"])
        TaskforceMember.objects.filter(taskforce=team, left_on__isnull=True).update(left_on=on)
        record("update", team, before=before, after=snapshot(team), detail={"change": "disband"})
    return team


@dataclass(frozen=True)
class TempBranch:
    """Does the team need a temporary branch (临时党支部), and why."""

    required: bool
    full_members: int
    planned_end: date | None
    rule: Any = TEMP_BRANCH_RULE


def planned_end(team: Taskforce) -> date | None:
    """The team's planned end: its own end date, else its key task's."""
    if team.ends_on:
        return team.ends_on
    return team.project.ends_on if team.project_id and team.project else None


def temp_branch(team: Taskforce, roster: list[TaskforceMember]) -> TempBranch:
    """``roster``: the team's entries with their persons (the page has read them already, no query here)."""
    full = sum(1 for m in roster if m.left_on is None and m.person.political_status == FULL_MEMBER)
    end = planned_end(team)
    long_enough = end is not None and end >= add_months(team.starts_on, TEMP_BRANCH_MONTHS)
    return TempBranch(full >= TEMP_BRANCH_MEMBERS and long_enough, full, end)

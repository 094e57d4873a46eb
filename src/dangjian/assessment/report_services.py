"""The write side of 述职评议 (党委（党组）书记抓基层党建工作述职评议考核办法（试行）): the office keeps a meeting of
its committee — secretaries, raters by group, paper tallies, remarks — and a rater casts their ballots once.

Each function is one intention in one transaction with its audit event. The audit log says who voted, never what
they gave: the rater's participation (``Rater.voted_at``) and the ballots are separate rows (see
``models.secretary_report_votes``). Nothing is deleted: a secretary or a rater added by mistake is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import can
from dangjian.audit.services import record, snapshot
from dangjian.core.scoping import recheck
from dangjian.core.uploads import check_upload
from dangjian.orgs.models import CommitteePost, Organization
from dangjian.orgs.models.committee import Post

from . import report_results, report_scale
from .models import (
    Ballot,
    MeetingStatus,
    PaperTally,
    RaterGroup,
    ReportMeeting,
    SecretaryReport,
)
from .models.secretary_report import GRADES, MANAGE
from .models.secretary_report_votes import Rater

REPORTING_KINDS = ("general_branch", "branch")
# 本单位设置: the fewest online raters a group may have. A group's counts are shown by group once the meeting
# closes, so a group of one or two online raters would show what each of them gave (the appraisal withholds
# its mutual-review tallies below a minimum for the same reason). A group voting on paper only has none.
MIN_GROUP_RATERS = 3
REPORT_FILE_TYPES = (".pdf", ".docx", ".doc", ".ofd")
REPORT_FILE_MAX = 20 * 1024 * 1024


def _meeting(user, meeting_id: int, *statuses: str) -> ReportMeeting:
    meeting = recheck(ReportMeeting.objects.all(), user, MANAGE, meeting_id)
    if statuses and meeting.status not in statuses:
        raise ValidationError(
            _("本次述职评议处于“%(status)s”阶段，不能进行此操作") % {"status": meeting.get_status_display()}
        )
    return meeting


def create_meeting(user, org_id: int, *, year: int, held_on: date, title: str):
    """A draft meeting: its weights and points are the rule store's until the vote opens (``report_scale``)."""
    with transaction.atomic():
        org = Organization.objects.filter(pk=org_id).first()
        if org is None or not can(user, MANAGE, org):
            raise Http404(_("对象不存在"))
        errors = []
        if org.kind not in ("committee", "general_branch"):
            errors.append(_("述职评议由党委或党总支组织，听取所属党组织书记述职"))
        if not title.strip():
            errors.append(_("请填写名称"))
        if errors:
            raise ValidationError(errors)
        meeting = ReportMeeting.objects.create(
            organization=org, year=year, held_on=held_on, title=title.strip(), created_by=user
        )
        record("create", meeting, after=snapshot(meeting))
    return meeting


def candidates(meeting: ReportMeeting) -> list[tuple[int, str, int, str]]:
    """The secretaries (书记) of the general branches and branches below the committee, from each organisation's
    latest committee term that has begun: (person id, name, organisation id, organisation name)."""
    today = timezone.localdate()
    orgs = Organization.objects.filter(
        path__startswith=meeting.organization.path, kind__in=REPORTING_KINDS, dissolved_on__isnull=True
    ).exclude(pk=meeting.organization_id)
    posts = (
        CommitteePost.objects.filter(term__organization__in=orgs, term__elected_on__lte=today, post=Post.SECRETARY)
        .select_related("person", "term__organization")
        .order_by("term__organization__path", "-term__elected_on")
    )
    seen: dict[int, tuple[int, str, int, str]] = {}
    latest_term: dict[int, int] = {}
    for post in posts:
        org = post.term.organization
        if latest_term.setdefault(org.pk, post.term_id) != post.term_id:
            continue
        seen.setdefault(org.pk, (post.person_id, post.person.name, org.pk, org.name))
    return list(seen.values())


def add_reports(user, meeting_id: int, pairs: list[tuple[int, int]]) -> int:
    """Add secretaries (person, their organisation) to a draft meeting; organisations below the committee only."""
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, MeetingStatus.DRAFT)
        allowed = {(p, o) for p, _n, o, _on in candidates(meeting)}
        present = set(meeting.reports.filter(withdrawn_at__isnull=True).values_list("person_id", flat=True))
        order = meeting.reports.count()
        added = []
        for person_id, org_id in pairs:
            if (person_id, org_id) not in allowed:
                raise ValidationError(_("只能添加本党委所属党组织现任书记"))
            if person_id in present:
                continue
            order += 1
            report = SecretaryReport.objects.create(
                meeting=meeting, person_id=person_id, organization_id=org_id, order=order
            )
            present.add(person_id)
            added.append(report.pk)
        if added:
            record("update", meeting, detail={"reports_added": added})
    return len(added)


def _report(user, report_id: int) -> SecretaryReport:
    report = SecretaryReport.objects.select_related("meeting").filter(pk=report_id, withdrawn_at__isnull=True).first()
    if report is None or not can(user, MANAGE, report.meeting):
        raise Http404(_("对象不存在"))
    return report


def withdraw_report(user, report_id: int) -> None:
    with transaction.atomic():
        report = _report(user, report_id)
        _meeting(user, report.meeting_id, MeetingStatus.DRAFT)
        report.withdrawn_at = timezone.now()
        report.save(update_fields=["withdrawn_at", "updated_at"])
        record("update", report, before={"withdrawn_at": None}, after={"withdrawn_at": report.withdrawn_at.isoformat()})


def save_report(user, report_id: int, *, text: str, file=None, remarks: str, problems: str) -> SecretaryReport:
    """The report's text or file (before the meeting closes), the committee secretary's remarks and the problems
    carried into the 三张清单 (any stage: remarks are often written after the vote)."""
    with transaction.atomic():
        report = _report(user, report_id)
        meeting = _meeting(user, report.meeting_id)
        before = snapshot(report)
        if meeting.status == MeetingStatus.CLOSED and (text != report.text or file):
            raise ValidationError(_("评议已结束，述职报告不能再修改"))
        report.text, report.remarks, report.problems = text, remarks, problems
        if file:
            check_upload(file, REPORT_FILE_TYPES, REPORT_FILE_MAX, _("PDF、Word 或 OFD 文件"))
            report.file = file
        report.save()
        record("update", report, before=before, after=snapshot(report))
    return report


def add_raters(user, meeting_id: int, group: str, person_ids: list[int]) -> int:
    from dangjian.people.models import Person

    if group not in RaterGroup.values:
        raise ValidationError(_("测评组无效"))
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, MeetingStatus.DRAFT, MeetingStatus.VOTING)
        known = set(Person.objects.filter(pk__in=person_ids).values_list("pk", flat=True))
        if known != set(person_ids):
            raise ValidationError(_("测评人不存在"))
        present = set(meeting.raters.filter(withdrawn_at__isnull=True).values_list("person_id", flat=True))
        new = [Rater(meeting=meeting, person_id=p, group=group) for p in person_ids if p not in present]
        Rater.objects.bulk_create(new)
        if new:
            record("update", meeting, detail={"raters_added": {group: [r.person_id for r in new]}})
    return len(new)


def withdraw_rater(user, rater_id: int) -> None:
    with transaction.atomic():
        rater = Rater.objects.select_related("meeting").filter(pk=rater_id, withdrawn_at__isnull=True).first()
        if rater is None or not can(user, MANAGE, rater.meeting):
            raise Http404(_("对象不存在"))
        _meeting(user, rater.meeting_id, MeetingStatus.DRAFT, MeetingStatus.VOTING)
        if rater.voted_at:
            raise ValidationError(_("该测评人已投票，不能撤销"))
        if rater.meeting.status == MeetingStatus.VOTING:
            left = rater.meeting.raters.filter(group=rater.group, withdrawn_at__isnull=True).count() - 1
            if left < MIN_GROUP_RATERS:
                raise ValidationError(
                    _("撤销后该测评组网上测评人不足 %(min)s 名，不能保证匿名") % {"min": MIN_GROUP_RATERS}
                )
        rater.withdrawn_at = timezone.now()
        rater.save(update_fields=["withdrawn_at", "updated_at"])
        record("update", rater, before={"withdrawn_at": None}, after={"withdrawn_at": rater.withdrawn_at.isoformat()})


def open_voting(user, meeting_id: int) -> ReportMeeting:
    """The vote opens with the weights and points in force today, copied onto the meeting: later changes of the
    settings apply to later meetings only."""
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, MeetingStatus.DRAFT)
        if not meeting.reports.filter(withdrawn_at__isnull=True).exists():
            raise ValidationError(_("请先添加述职书记"))
        scale = report_scale.in_force(meeting.organization)
        errors = report_scale.problems(scale)
        sizes = meeting.raters.filter(withdrawn_at__isnull=True).values_list("group").annotate(n=Count("pk"))
        labels = dict(RaterGroup.choices)
        for group, n in sizes:
            if n < MIN_GROUP_RATERS:
                errors.append(
                    _("测评组“%(group)s”仅 %(n)s 名网上测评人，不足 %(min)s 名不能保证匿名，请增加测评人或改用纸质测评")
                    % {"group": labels.get(group, group), "n": n, "min": MIN_GROUP_RATERS}
                )
        if errors:
            raise ValidationError(errors)
        before = {
            "status": meeting.status,
            "weights": meeting.weights,
            "points": meeting.points,
            "bands": meeting.bands,
        }
        report_scale.fix(meeting, scale)
        meeting.status, meeting.opened_at = MeetingStatus.VOTING, timezone.now()
        meeting.save(update_fields=["status", "opened_at", "weights", "points", "bands", "updated_at"])
        after = {"status": meeting.status, "weights": meeting.weights, "points": meeting.points, "bands": meeting.bands}
        record("update", meeting, before=before, after=after)
    return meeting


def close(user, meeting_id: int) -> ReportMeeting:
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, MeetingStatus.VOTING)
        meeting.status, meeting.closed_at = MeetingStatus.CLOSED, timezone.now()
        meeting.save(update_fields=["status", "closed_at", "updated_at"])
        record("update", meeting, before={"status": "voting"}, after={"status": meeting.status})
    return meeting


def rater_entry(user, meeting_id: int) -> Rater:
    """The user's own place among the raters of the meeting, or 404: nobody else opens the ballot page."""
    person_id = getattr(user, "person_id", None)
    entry = (
        Rater.objects.select_related("meeting")
        .filter(meeting_id=meeting_id, person_id=person_id, withdrawn_at__isnull=True)
        .first()
        if person_id
        else None
    )
    if entry is None:
        raise Http404(_("对象不存在"))
    return entry


def ballot_reports(entry: Rater) -> list[SecretaryReport]:
    """The reports a rater grades: every secretary's but their own."""
    qs = entry.meeting.reports.filter(withdrawn_at__isnull=True).exclude(person_id=entry.person_id)
    return list(qs.select_related("person", "organization"))


def vote(user, meeting_id: int, grades: dict[int, str]) -> int:
    """Cast a rater's ballots, once: one grade for every secretary but themselves (办法: 评议 by 好、较好、一般、差)."""
    with transaction.atomic():
        entry = rater_entry(user, meeting_id)
        entry = Rater.objects.select_for_update().get(pk=entry.pk)
        meeting = entry.meeting
        if meeting.status != MeetingStatus.VOTING:
            raise ValidationError(_("本次述职评议当前不在测评阶段"))
        if entry.voted_at is not None:
            raise ValidationError(_("您已投票，每人只能投一次"))
        wanted = {r.pk for r in ballot_reports(entry)}
        if set(grades) != wanted:
            raise ValidationError(_("请对每一位述职书记作出评价"))
        if any(g not in GRADES for g in grades.values()):
            raise ValidationError(_("评价应为 好 / 较好 / 一般 / 差"))
        Ballot.objects.bulk_create(
            [Ballot(meeting=meeting, report_id=r, group=entry.group, grade=g) for r, g in grades.items()]
        )
        entry.voted_at = timezone.now()
        entry.save(update_fields=["voted_at", "updated_at"])
        # who voted, never what they gave
        record("update", meeting, detail={"ballots_cast": len(grades)})
    return len(grades)


def record_tallies(user, meeting_id: int, group: str, papers: int, counts: dict[int, dict[str, int]]) -> None:
    """The paper forms of one group: how many were collected, and each secretary's counts. A secretary's counts
    add up to at most the forms collected (a rater may leave one secretary blank, never vote twice)."""
    if group not in RaterGroup.values:
        raise ValidationError(_("测评组无效"))
    with transaction.atomic():
        meeting = _meeting(user, meeting_id, MeetingStatus.VOTING)
        if papers < 0 or any(v < 0 for c in counts.values() for v in c.values()):
            raise ValidationError(_("票数不能为负数"))
        reports = {r.pk: r for r in meeting.reports.filter(withdrawn_at__isnull=True).select_related("person")}
        existing = {t.report_id: t for t in PaperTally.objects.filter(report__meeting=meeting, group=group)}
        changes = []
        for report_id, c in counts.items():
            report = reports.get(report_id)
            if report is None:
                raise ValidationError(_("述职书记不属于本次评议"))
            if sum(c.values()) > papers:
                raise ValidationError(
                    _("%(name)s的票数之和超过收回测评表数 %(papers)s") % {"name": report.person.name, "papers": papers}
                )
            tally = existing.get(report_id) or PaperTally(report=report, group=group)
            before = tally.counts() if tally.pk else None
            for grade in GRADES:
                setattr(tally, grade, int(c.get(grade, 0)))
            tally.save()
            if before != tally.counts():
                changes.append({"report": report_id, "before": before, "after": tally.counts()})
        for tally in existing.values():  # forms collected lowered below a tally not re-entered
            if tally.report_id not in counts and sum(tally.counts().values()) > papers:
                raise ValidationError(_("已录入的票数超过收回测评表数，请一并修改"))
        before_papers = meeting.paper_count(group)
        meeting.papers = {**(meeting.papers or {}), group: papers}
        meeting.save(update_fields=["papers", "updated_at"])
        record("update", meeting, detail={"paper_tally": group, "papers": [before_papers, papers], "changes": changes})


@dataclass
class ResultRow:
    report: SecretaryReport
    counts: dict[str, dict[str, int]]  # {group: {grade: votes}}, online and paper together
    result: report_results.Result


def results(meeting: ReportMeeting) -> list[ResultRow]:
    """Every secretary's counts by group and weighted result, in three queries whatever the number of rows."""
    reports = list(
        meeting.reports.filter(withdrawn_at__isnull=True).select_related("person", "organization").order_by("order")
    )
    counts = {r.pk: {g: dict.fromkeys(GRADES, 0) for g in RaterGroup.values} for r in reports}
    online = Ballot.objects.filter(meeting=meeting).values_list("report_id", "group", "grade").annotate(n=Count("pk"))
    for report_id, group, grade, n in online:
        if report_id in counts:
            counts[report_id][group][grade] += n
    for tally in PaperTally.objects.filter(report__meeting=meeting):
        if tally.report_id in counts:
            for grade, n in tally.counts().items():
                counts[tally.report_id][tally.group][grade] += n
    scale = report_scale.of_meeting(meeting)
    weights = {g: scale.weight(g) for g in RaterGroup.values}
    return [
        ResultRow(r, counts[r.pk], report_results.weighted(counts[r.pk], weights, scale.points, scale.bands))
        for r in reports
    ]


def own_reports(user) -> list[SecretaryReport]:
    person_id = getattr(user, "person_id", None)
    if not person_id:
        return []
    qs = SecretaryReport.objects.filter(person_id=person_id, withdrawn_at__isnull=True)
    return list(qs.select_related("meeting", "organization").order_by("-meeting__year", "-pk"))


def own_report(user, report_id: int) -> SecretaryReport:
    """The secretary's own report, or 404 for anyone else."""
    person_id = getattr(user, "person_id", None)
    report = (
        SecretaryReport.objects.select_related("meeting", "person", "organization")
        .filter(pk=report_id, person_id=person_id, withdrawn_at__isnull=True)
        .first()
        if person_id
        else None
    )
    if report is None:
        raise Http404(_("对象不存在"))
    return report

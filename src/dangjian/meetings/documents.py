"""The meetings parts of an organisation's yearly record (台账), one per section of the branch work handbook.

党员大会, 支委会, 党小组会, 党课 and 主题党日 each have their section; the 组织生活会 goes with the 民主评议 it usually
accompanies (section ``appraisal``, a part of its own with its title). Each part lists every meeting of its kind
that the organisation and its subtree (a branch and its party groups) held in the year — planned and cancelled
meetings are left out, as they are from the compliance count — with its particulars (time, place, host, agenda,
应到/实到/缺席 with the absentees' names and reasons, recorder, lecturer), the minutes, the resolutions put to the
vote, the attached files and the sign-in sheet (签到表), ready to print.

``gaps`` lists what an inspector would find missing: a held meeting without minutes, a planned meeting past its
date that was never recorded, and every period of an obligation (支委会每月, 党员大会每季度, 党课每季度, ...) that
ended without the meetings it asks for. The obligations and their counts are the compliance engine's, read from
the rule store (``compliance.obligation.*``), so the ledger's checklist says what the compliance page says.
``attachments`` gives the meetings' uploaded files for the year's .zip.

Each method reads a constant number of queries whatever the number of meetings: ``render`` four, ``gaps`` three
(the meetings, the rule store, the compliance statement), ``attachments`` one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH

from dangjian.compliance import engine
from dangjian.compliance.lights import OVERDUE
from dangjian.compliance.obligations import overlapping
from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerAttachment, LedgerGap, Period
from dangjian.orgs.models import Organization
from dangjian.rules import services as rule_store

from .forms import html_to_text
from .models import Attachment, Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus, Resolution
from .models.meeting import HELD_STATUSES

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.ELSEWHERE)
# the particulars at 四号: a label of seven characters (缺席人员及原因) on one line in 40 mm
PARTICULARS_WIDTHS = (10, 29)
# the sign-in sheet, two people a line: 序号, 姓名 of four characters, the recorded 签到 (出席 14:25), a blank 签名
SIGN_IN_HEADERS = (gettext_lazy("序号"), gettext_lazy("姓名"), gettext_lazy("签到"), gettext_lazy("签名"))
SIGN_IN_WIDTHS = (10, 17, 24, 27)
QUARTERS = (
    gettext_lazy("第一季度"),
    gettext_lazy("第二季度"),
    gettext_lazy("第三季度"),
    gettext_lazy("第四季度"),
)
CN_DIGITS = "一二三四五六七八九十"
NAMES_SHOWN = 10  # absentees named in a gap before "等N人"


def cn_number(n: int) -> str:
    """一 … 十, 十一 … 九十九 (the numbers of headings, GB/T 9704 §7.3.3); Arabic digits past that."""
    if 1 <= n <= 10:
        return CN_DIGITS[n - 1]
    if 11 <= n <= 99:
        tens, ones = divmod(n, 10)
        return (CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (CN_DIGITS[ones - 1] if ones else "")
    return str(n)


def _local_bounds(period: Period) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after its last day, in local time (a meeting at 00:30 on
    1 January in Beijing belongs to the new year although it is still the old one in UTC)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tz),
    )


def _when(m: Meeting) -> str:
    """2025年3月12日 14:30—16:00 (the end's date too when the meeting ran past midnight)."""
    start, end = timezone.localtime(m.starts_at), timezone.localtime(m.ends_at)
    tail = f"{end:%H:%M}" if end.date() == start.date() else f"{paper.cn_date(end.date())} {end:%H:%M}"
    return f"{paper.cn_date(start.date())} {start:%H:%M}—{tail}"


def _day(m: Meeting) -> str:
    d = timezone.localdate(m.starts_at)
    return f"{d.month}月{d.day}日"


def _name(person) -> str:
    return person.name if person is not None else "—"


def _absence(a: Attendance) -> str:
    """张三（请假：出差）; 李四（缺席）; 王五（未登记）."""
    status = a.get_status_display()
    return f"{a.person.name}（{status}：{a.reason}）" if a.reason else f"{a.person.name}（{status}）"


def _signed(a: Attendance) -> str:
    """The 签到 cell: the time of a check-in (扫码 for a QR check-in), else the recorded status."""
    if a.status in ATTENDED and a.checked_in_at:
        at = f"{timezone.localtime(a.checked_in_at):%H:%M}"
        return _("%(time)s 扫码") % {"time": at} if a.via_qr else _("%(time)s 签到") % {"time": at}
    if a.status == AttendanceStatus.UNKNOWN:
        return ""
    return a.get_status_display()


def _resolution(n: int, r: Resolution) -> str:
    return _(
        "%(n)d. %(title)s：应到有表决权%(due)d人，赞成%(yes)d票，反对%(no)d票，弃权%(abstain)d票，%(result)s。"
    ) % {
        "n": n,
        "title": r.title,
        "due": r.due_voting,
        "yes": r.yes,
        "no": r.no,
        "abstain": r.abstain,
        "result": _("通过") if r.passed else _("未通过"),
    }


@dataclass(frozen=True)
class MeetingsPart(DocumentPart):
    """The meetings of ``kind`` held in the year in the organisation's subtree, one after the other."""

    key: str
    section: str
    kind: str  # a MeetingKind
    noun: Any  # what the part calls one meeting of its kind ("支委会"), in its sentences
    title: Any = ""
    order: int = 10

    # -- reads -------------------------------------------------------------------------------------------------

    def _window(self, organization: Organization, period: Period) -> QuerySet:
        start, end = _local_bounds(period)
        return Meeting.objects.filter(
            organization__in=Organization.objects.subtree(organization.path),
            kind=self.kind,
            starts_at__gte=start,
            starts_at__lt=end,
        )

    def meetings(self, organization: Organization, period: Period) -> QuerySet:
        """The meetings of the part held in the period, in the order they were held."""
        return (
            self._window(organization, period)
            .filter(status__in=HELD_STATUSES)
            .select_related("organization", "host", "recorder", "lecturer")
            .order_by("starts_at", "pk")
        )

    # -- render ------------------------------------------------------------------------------------------------

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """Adds the part to ``document`` (a python-docx Document): a summary line, then each meeting."""
        if self.title:
            paper.subheading(document, str(self.title))
        meetings = list(self.meetings(organization, period))
        if not meetings:
            paper.paragraph(document, _("本年度无%(kind)s记录。") % {"kind": self.noun})
            return
        held = self.meetings(organization, period).values("pk")
        attendances: dict[int, list[Attendance]] = {}
        for a in (
            Attendance.objects.filter(meeting__in=held)
            .select_related("person")
            .order_by("meeting_id", "-expected", "-voting", "person__sort_key", "person__name", "pk")
        ):
            attendances.setdefault(a.meeting_id, []).append(a)
        resolutions: dict[int, list[Resolution]] = {}
        for r in Resolution.objects.filter(meeting__in=held).order_by("meeting_id", "pk"):
            resolutions.setdefault(r.meeting_id, []).append(r)
        files: dict[int, list[str]] = {}
        for meeting_id, name in (
            Attachment.objects.filter(meeting__in=held, removed_at__isnull=True)
            .order_by("meeting_id", "created_at", "pk")
            .values_list("meeting_id", "name")
        ):
            files.setdefault(meeting_id, []).append(name)

        per_quarter = Counter((timezone.localdate(m.starts_at).month - 1) // 3 for m in meetings)
        quarters = "，".join(
            _("%(quarter)s%(n)d次") % {"quarter": QUARTERS[q], "n": per_quarter[q]} for q in range(4) if per_quarter[q]
        )
        paper.paragraph(
            document,
            _("本年度共召开%(kind)s%(n)d次（%(quarters)s）。")
            % {"kind": self.noun, "n": len(meetings), "quarters": quarters},
        )
        for n, m in enumerate(meetings, 1):
            self._meeting(
                document, organization, n, m, attendances.get(m.pk, []), resolutions.get(m.pk, []), files.get(m.pk, [])
            )

    def _meeting(
        self,
        document: Any,
        organization: Organization,
        n: int,
        m: Meeting,
        attendances: list[Attendance],
        resolutions: list[Resolution],
        files: list[str],
    ) -> None:
        heading = f"（{cn_number(n)}）{_day(m)}　{m.title}"
        if self.title:  # the part's title took the second level: each meeting a bold third-level line
            p = paper.paragraph(document, f"{n}．{_day(m)}　{m.title}")
            p.runs[0].font.bold = True
            p.paragraph_format.keep_with_next = True
        else:
            paper.subheading(document, heading)
        expected = [a for a in attendances if a.expected]
        absent = [a for a in expected if a.status not in ATTENDED]
        present = sum(1 for a in attendances if a.status in ATTENDED)
        rows: list[tuple[Any, str]] = [(_("会议名称"), m.title)]
        if m.organization_id != organization.pk:
            rows.append((_("党组织"), m.organization.name))
        rows += [(_("时间"), _when(m)), (_("地点"), m.place or "—"), (_("主持人"), _name(m.host))]
        if m.kind == MeetingKind.LECTURE:
            rows.append((_("授课人"), _name(m.lecturer)))
        rows.append((_("记录人"), _name(m.recorder)))
        rows.append((_("会议议题"), m.agenda.strip() or m.title))
        if m.study_materials.strip():
            rows.append((_("学习材料"), m.study_materials.strip()))
        rows.append(
            (
                _("出席情况"),
                _("应到%(due)d人，实到%(present)d人，缺席%(absent)d人")
                % {
                    "due": len(expected),
                    "present": present,
                    "absent": len(absent),
                },
            )
        )
        rows.append((_("缺席人员及原因"), "；".join(_absence(a) for a in absent) or _("无")))
        if files:
            rows.append((_("附件"), "；".join(files)))
        paper.particulars(document, rows, widths=PARTICULARS_WIDTHS)

        paper.paragraph(document, _("会议内容：")).paragraph_format.keep_with_next = True
        text = html_to_text(m.minutes)
        for para in [p.strip() for p in text.split("\n\n") if p.strip()] or [_("（未录入会议记录。）")]:
            paper.paragraph(document, para.replace("\n", " "))
        if resolutions:
            paper.paragraph(document, _("表决事项：")).paragraph_format.keep_with_next = True
            for i, r in enumerate(resolutions, 1):
                paper.paragraph(document, _resolution(i, r))

        caption = paper.paragraph(document, _("签到表（应到%(n)d人）") % {"n": len(expected)}, indent=False)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        if not attendances:
            paper.paragraph(document, _("未登记应到人员。"))
            return
        sheet = [(i, a.person.name, _signed(a), "") for i, a in enumerate(expected, 1)]
        sheet += [
            (len(expected) + i, a.person.name, _("%(signed)s（不计应到）") % {"signed": _signed(a) or "—"}, "")
            for i, a in enumerate((a for a in attendances if not a.expected), 1)
        ]
        paper.sign_in_table(document, SIGN_IN_HEADERS, sheet, widths=SIGN_IN_WIDTHS, numeric=(0, 2))

    # -- gaps --------------------------------------------------------------------------------------------------

    def gaps(self, organization: Organization, period: Period) -> Iterable[LedgerGap]:
        """Held meetings without minutes, planned meetings past their date, and the periods of the year that ended
        without the meetings an obligation of this kind asks for (the compliance engine's count)."""
        today = timezone.localdate()
        now = timezone.now()
        out: list[LedgerGap] = []
        with rule_store.holding():
            minutes_days = engine.settings_on(today)["minutes_days"]
            open_meetings = (
                self._window(organization, period)
                .filter(
                    Q(status=MeetingStatus.HELD)
                    | Q(status__in=HELD_STATUSES, minutes="")
                    | Q(status=MeetingStatus.PLANNED, starts_at__lt=now)
                )
                .select_related("organization")
                .order_by("starts_at", "pk")
            )
            for m in open_meetings:
                day = timezone.localdate(m.starts_at)
                words = {"org": self._org(m.organization, organization), "day": paper.cn_date(day), "kind": self.noun}
                words["title"] = m.title
                link = reverse("meetings:detail", args=[m.pk])
                if m.status == MeetingStatus.PLANNED:
                    text = _("%(org)s%(day)s%(kind)s“%(title)s”已过会议时间，未登记召开情况") % words
                    out.append(LedgerGap(self.section, text, link, day))
                else:
                    text = _("%(org)s%(day)s%(kind)s“%(title)s”未录入会议记录") % words
                    out.append(LedgerGap(self.section, text, link, day + timedelta(days=minutes_days)))
            out += self._missing(organization, period, today)
        return out

    @staticmethod
    def _org(org: Organization, organization: Organization) -> str:
        """The name of a subordinate organisation in front of a gap; nothing for the organisation itself."""
        return "" if org.pk == organization.pk else f"{org.name}："

    def _missing(self, organization: Organization, period: Period, today) -> list[LedgerGap]:
        """The periods of ``period`` that ended short of an obligation of this kind, per organisation of the
        subtree (the compliance engine: its conditions, e.g. 支委会 only where a committee is elected, its quorum)."""
        rules = [r for r in overlapping(rule_store.book(), period.start, period.end) if r.meeting_kind == self.kind]
        if not rules:
            return []
        orgs = Organization.objects.subtree(organization.path)
        years = range(period.start.year, period.end.year + 1)
        matrix = engine.compute(orgs, years, today, rules=rules)
        items = [
            i
            for i in matrix.items
            if i.light == OVERDUE and period.start <= i.period.start and i.period.end <= period.end
        ]
        if not items:
            return []
        names = dict(Organization.objects.filter(pk__in={i.org_id for i in items}).values_list("pk", "name"))
        create = reverse("meetings:create")
        out = []
        for i in sorted(items, key=lambda i: (i.period.sort_key, names.get(i.org_id, ""))):
            rule = matrix.rules[i.rule_id]
            words = {
                "org": "" if i.org_id == organization.pk else f"{names.get(i.org_id, '')}：",
                "period": i.period.label,
                "kind": self.noun,
                "rule": rule.title,
            }
            if i.valid == 0 and i.quorum_failed:
                text = _("%(org)s%(period)s未有效召开%(kind)s（%(rule)s；%(failed)d次未达到法定人数）") % {
                    **words,
                    "failed": i.quorum_failed,
                }
            elif i.valid == 0:
                text = _("%(org)s%(period)s未召开%(kind)s（%(rule)s）") % words
            else:
                text = _("%(org)s%(period)s%(kind)s召开%(valid)d次，还差%(missing)d次（%(rule)s）") % {
                    **words,
                    "valid": i.valid,
                    "missing": i.missing,
                }
            out.append(LedgerGap(self.section, text, f"{create}?org={i.org_id}", i.period.end))
        return out

    # -- attachments -------------------------------------------------------------------------------------------

    def attachments(self, organization: Organization, period: Period) -> Iterable[LedgerAttachment]:
        """The files uploaded to the part's meetings of the year, labelled "2025-03-12 支委会：文件名"."""
        rows = (
            Attachment.objects.filter(
                meeting__in=self._window(organization, period).filter(status__in=HELD_STATUSES).values("pk"),
                removed_at__isnull=True,
            )
            .select_related("meeting")
            .order_by("meeting__starts_at", "meeting_id", "created_at", "pk")
        )
        out = []
        seen: set[str] = set()
        for a in rows:
            day = f"{timezone.localdate(a.meeting.starts_at):%Y-%m-%d}"
            folder = f"{day} {self.noun}"
            name = f"{folder}/{a.name}"
            n = 1
            while name in seen:  # two meetings of a day, or two files of one name
                n += 1
                stem, dot, ext = a.name.rpartition(".")
                name = f"{folder}/{stem}（{n}）.{ext}" if dot else f"{folder}/{a.name}（{n}）"
            seen.add(name)
            out.append(
                LedgerAttachment(
                    section=self.section,
                    name=name,
                    label=f"{day} {self.noun}：{a.name}",
                    open=lambda f=a.file: f.open("rb"),
                    size=a.size,
                )
            )
        return out


MEMBERS_MEETING = MeetingsPart(
    "meetings.members_meeting", "members_meeting", MeetingKind.MEMBERS_MEETING, gettext_lazy("党员大会")
)
COMMITTEE_MEETING = MeetingsPart(
    "meetings.committee_meeting", "committee_meeting", MeetingKind.COMMITTEE_MEETING, gettext_lazy("支委会")
)
GROUP_MEETING = MeetingsPart(
    "meetings.group_meeting", "group_meeting", MeetingKind.GROUP_MEETING, gettext_lazy("党小组会")
)
LECTURE = MeetingsPart("meetings.lecture", "lecture", MeetingKind.LECTURE, gettext_lazy("党课"))
THEME_DAY = MeetingsPart("meetings.theme_day", "theme_day", MeetingKind.THEME_DAY, gettext_lazy("主题党日"))
# 组织生活会 goes with the 民主评议 it usually accompanies (支部工作条例 art. 17, 党员教育管理工作条例 art. 17–18: 一般
# 结合组织生活会进行), after the appraisal's own forms
LIFE_MEETING = MeetingsPart(
    "meetings.life_meeting",
    "appraisal",
    MeetingKind.LIFE_MEETING,
    gettext_lazy("组织生活会"),
    title=gettext_lazy("组织生活会"),
    order=90,
)
PARTS = (MEMBERS_MEETING, COMMITTEE_MEETING, GROUP_MEETING, LECTURE, THEME_DAY, LIFE_MEETING)

"""The formation notice (组建通知) of a 党员突击队 or 党员攻关团队, as a .docx in the party-document layout.

Issued by the committee at or above the organisation running the team (the nearest 党委), with the notice's
文号 under the title (GB/T 9704 §7.2.4), the key task, the mission, and the roster in force (captain first) as a
table. A4, body in 三号仿宋 (``core.paper``).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import paper
from dangjian.orgs.models import Organization, OrgKind

from .models import Taskforce, TaskforceMember, TaskforceRole

HEADERS = (
    gettext_lazy("序号"),
    gettext_lazy("姓名"),
    gettext_lazy("队内职务"),
    gettext_lazy("政治面貌"),
    gettext_lazy("部门"),
)
WIDTHS = (14, 24, 24, 34, 60)
ROLE_ORDER = {TaskforceRole.CAPTAIN: 0, TaskforceRole.VICE_CAPTAIN: 1, TaskforceRole.MEMBER: 2}


def issuing_committee(org: Organization) -> Organization:
    """The nearest 党委 at or above ``org``; the organisation itself when there is none above it."""
    step = Organization.steplen
    paths = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    return Organization.objects.filter(path__in=paths, kind=OrgKind.COMMITTEE).order_by("path").last() or org


def roster_in_force(team: Taskforce) -> list[TaskforceMember]:
    rows = list(
        TaskforceMember.objects.filter(taskforce=team, left_on__isnull=True).select_related(
            "person", "person__department"
        )
    )
    rows.sort(key=lambda m: (ROLE_ORDER.get(m.role, 9), m.joined_on, m.person.sort_key, m.pk))
    return rows


def build(team: Taskforce) -> bytes:
    committee = issuing_committee(team.organization)
    signer = paper.party_name(committee.name)
    document = paper.new_document()
    # the 版头 (GB/T 9704 §7.2) above the title: the committee's red mark, the 文号 and the red line
    if team.notice_no:
        paper.letterhead(document, signer, team.notice_no)
    paper.title(document, _("关于组建%(name)s的通知") % {"name": team.name})
    paper.paragraph(document, _("各党支部："), indent=False)
    task = team.project.name if team.project else ""
    kind = str(team.get_kind_display())
    # 整星电磁兼容试验党员突击队 (or 电学计量突击队) says what it is; a name that does not gets its kind after it
    named = f"“{team.name}”" if team.name.endswith(kind.removeprefix("党员")) else f"“{team.name}”（{kind}）"
    paper.paragraph(
        document,
        _(
            "为充分发挥党组织战斗堡垒作用和党员先锋模范作用，围绕重点任务“%(task)s”，经研究，决定组建"
            "%(named)s，由%(org)s负责日常管理。现将有关事项通知如下。"
        )
        % {"task": task, "named": named, "org": team.organization.name},
    )
    paper.heading(document, _("一、任务目标"))
    paper.paragraph(document, team.mission)
    paper.heading(document, _("二、组建时间"))
    span = paper.cn_date(team.starts_on)
    if team.ends_on:
        span = _("%(start)s至%(end)s") % {"start": span, "end": paper.cn_date(team.ends_on)}
    paper.paragraph(document, span)
    paper.heading(document, _("三、队伍组成"))
    roster = roster_in_force(team)
    if roster:
        rows = [
            (
                i,
                m.person.name,
                m.get_role_display(),
                m.person.get_political_status_display(),
                m.person.department.name if m.person.department else "—",
            )
            for i, m in enumerate(roster, 1)
        ]
        paper.table(document, HEADERS, rows, widths=WIDTHS, numeric=(0,))
    else:
        paper.paragraph(document, _("队员名单另行通知。"))
    paper.heading(document, _("四、工作要求"))
    paper.paragraph(
        document,
        _("队员要亮身份、守承诺、作表率，在急难险重任务中冲锋在前；队伍定期向党委汇报工作进展，任务完成后进行总结。"),
    )
    paper.signature(document, signer, paper.cn_date(team.starts_on or timezone.localdate()))
    return paper.to_bytes(document)


def filename(team: Taskforce) -> str:
    return _("%(name)s组建通知.docx") % {"name": team.name}

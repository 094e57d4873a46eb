"""The transfers' parts of the ledger's 发展党员 section: 党员组织关系转入转出名册 and 失联党员名册.

- 党员组织关系转入转出名册 (the sixth of the common registers, landscape): every transfer requested, sent or completed
  in the year that leaves or enters the organisation (its sending or receiving organisation in the subtree, as the
  list filtered by organisation and year shows), marked 转出, 转入 or 内部转接 as seen from the organisation, with
  the member's category, the letter number, the days it was sent and completed and its state;
- 失联党员名册 (党员教育管理工作条例 第24条): the members of its branches on the lost-contact list during the year —
  still being looked for or suspended, or registered, contacted or decided on in the year — with the year's steps:
  each contact tried or made, each decision with the organisation that took it and its document number.

ID numbers, the reasons a letter was refused or cancelled and the notes of a contact stay on the pages (they are
personal details the ledger does not need). Gaps: transfers of the year or before still not completed (the letter
not yet sent, or sent and not yet received). A constant number of queries whatever the number of transfers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.core.tree_paths import in_subtree
from dangjian.orgs.models import Organization
from dangjian.people.models.person import Sex

from .models import (
    ContactAttempt,
    ContactMethod,
    Decision,
    Direction,
    LostContact,
    TrackingStatus,
    Transfer,
    TransferStatus,
)
from .models.transfer import OPEN_STATUSES

TRANSFER_HEADERS = (
    _("序号"),
    _("姓名"),
    _("性别"),
    _("党员类别"),
    _("转接"),
    _("转出党组织"),
    _("转入党组织"),
    _("申请日期"),
    _("介绍信编号"),
    _("开具日期"),
    _("办结日期"),
    _("状态"),
)
# mm of the landscape type area (243 mm): a letter number 〔2026〕第0002号 on one line
TRANSFER_WIDTHS = (10, 15, 8, 18, 22, 30, 30, 20, 34, 20, 20, 22)
LOST_HEADERS = (_("姓名"), _("党支部"), _("登记日期"), _("最后联系上"), _("状态"), _("本年度联系与处置"))
LOST_WIDTHS = (16, 30, 21, 21, 20, 48)  # mm
STILL_LOST = (TrackingStatus.TRACKING, TrackingStatus.SUSPENDED)


def _side(t: Transfer, path: str) -> tuple[str, str]:
    """("out" | "in" | "inside", its label) as seen from the organisation at ``path``; 系统外 marks the other
    side outside the tree."""
    out = t.from_org is not None and in_subtree(t.from_org.path, path)
    into = t.to_org is not None and in_subtree(t.to_org.path, path)
    if out and into:
        return "inside", str(_("内部转接"))
    if out:
        return "out", str(_("转出（系统外）")) if t.direction == Direction.OUT else str(_("转出"))
    return "in", str(_("转入（系统外）")) if t.direction == Direction.IN else str(_("转入"))


def _contact(a: ContactAttempt) -> str:
    if a.method == ContactMethod.REPORTED:  # the day given when the case was registered
        return str(_("%(day)s 最后联系上（登记时填报）")) % {"day": paper.iso(a.on)}
    result = _("联系上") if a.reached else _("未联系上")
    return f"{paper.iso(a.on)} {a.get_method_display()}，{result}"


def _in_year(period: Period) -> Q:
    year = (period.start, period.end)
    return Q(requested_on__range=year) | Q(sent_on__range=year) | Q(closed_on__range=year)


@dataclass(frozen=True)
class TransfersRegister(DocumentPart):
    section: str = "development"
    key: str = "transfers.register"
    title: Any = _("党员组织关系转入转出名册")
    order: int = 60
    landscape: bool = True

    def transfers(self, organization: Organization, period: Period):
        inside = Organization.objects.subtree(organization.path)
        return (
            Transfer.objects.filter(Q(from_org__in=inside) | Q(to_org__in=inside))
            .filter(_in_year(period))
            .select_related("from_org", "to_org")
            .order_by("requested_on", "id")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        """The year's transfers in and out, one row each, with the counts under the table."""
        if self.title:
            paper.subheading(document, str(self.title))
        transfers = list(self.transfers(organization, period))
        if not transfers:
            paper.paragraph(document, str(_("本年度无党员组织关系转入转出记录。")))
            return
        sides = [_side(t, organization.path) for t in transfers]
        rows = [
            [
                n,
                t.name,
                str(dict(Sex.choices).get(t.sex, "—")),
                t.get_member_status_display() or "—",
                side[1],
                t.from_name,
                t.to_name,
                paper.iso(t.requested_on),
                t.letter_number or "—",
                paper.iso(t.sent_on),
                paper.iso(t.closed_on),
                t.get_status_display(),
            ]
            for n, (t, side) in enumerate(zip(transfers, sides, strict=True), start=1)
        ]
        paper.wide_table(document, TRANSFER_HEADERS, rows, widths=TRANSFER_WIDTHS, numeric=(0, 2, 7, 9, 10))
        received = sum(1 for t in transfers if t.status == TransferStatus.RECEIVED)
        still_open = sum(1 for t in transfers if t.is_open)
        paper.paragraph(
            document,
            str(
                _(
                    "本年度组织关系转接%(n)d件：转出%(out)d件，转入%(into)d件，内部转接%(inside)d件；"
                    "已接收%(received)d件，尚在办理%(open)d件，被拒收、撤销或介绍信过期%(ended)d件。"
                )
            )
            % {
                "n": len(transfers),
                "out": sum(1 for code, _label in sides if code == "out"),
                "into": sum(1 for code, _label in sides if code == "in"),
                "inside": sum(1 for code, _label in sides if code == "inside"),
                "received": received,
                "open": still_open,
                "ended": len(transfers) - received - still_open,
            },
        )

    def gaps(self, organization: Organization, period: Period) -> list[LedgerGap]:
        """Transfers requested by the end of the year and still not completed (one query)."""
        inside = Organization.objects.subtree(organization.path)
        rows = (
            Transfer.objects.filter(Q(from_org__in=inside) | Q(to_org__in=inside))
            .filter(status__in=OPEN_STATUSES, requested_on__lte=period.end)
            .select_related("from_org", "to_org")
            .order_by("requested_on", "id")
        )
        out = []
        for t in rows:
            text = str(_("%(name)s的组织关系%(side)s尚未办结（%(status)s，%(day)s申请）")) % {
                "name": t.name,
                "side": _side(t, organization.path)[1],
                "status": t.get_status_display(),
                "day": paper.iso(t.requested_on),
            }
            out.append(LedgerGap("development", text, reverse("transfers:detail", args=[t.pk]), t.valid_until))
        return out


@dataclass(frozen=True)
class LostRegister(DocumentPart):
    section: str = "development"
    key: str = "transfers.lost"
    title: Any = _("失联党员名册")
    order: int = 70

    def lost_cases(self, organization: Organization, period: Period):
        year = (period.start, period.end)
        contacts = ContactAttempt.objects.filter(on__range=year).order_by("on", "id")
        decisions = Decision.objects.filter(decided_on__range=year).order_by("decided_on", "id")
        return (
            LostContact.objects.filter(
                branch__in=Organization.objects.subtree(organization.path), opened_on__lte=period.end
            )
            .filter(
                Q(status__in=STILL_LOST)
                | Q(opened_on__gte=period.start)
                | Exists(contacts.filter(case=OuterRef("pk")))
                | Exists(decisions.filter(case=OuterRef("pk")))
            )
            .select_related("person", "branch")
            .prefetch_related(
                Prefetch("contacts", queryset=contacts, to_attr="contacts_in_year"),
                Prefetch("decisions", queryset=decisions, to_attr="decisions_in_year"),
            )
            .order_by("branch__path", "opened_on", "id")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        if self.title:
            paper.subheading(document, str(self.title))
        self._lost(document, organization, period)

    def _lost(self, document: Any, organization: Organization, period: Period) -> None:
        cases = list(self.lost_cases(organization, period))
        if not cases:
            paper.paragraph(document, str(_("本年度无失联党员记录。")))
            return
        counts = {s: sum(1 for c in cases if c.status == s) for s in TrackingStatus.values}
        paper.paragraph(
            document,
            str(
                _(
                    "本年度涉及失联党员%(n)d人，目前查找联系中%(tracking)d人，已停止党籍%(suspended)d人，"
                    "已按自行脱党除名%(removed)d人，已恢复联系%(closed)d人。"
                )
            )
            % {"n": len(cases), **counts},
        )
        rows = [
            [
                c.person.name,
                c.branch.name,
                paper.iso(c.opened_on),
                paper.iso(c.last_contact_on),
                c.get_status_display(),
                self._steps(c),
            ]
            for c in cases
        ]
        paper.table(document, LOST_HEADERS, rows, widths=LOST_WIDTHS, numeric=(2, 3))

    @staticmethod
    def _steps(case: LostContact) -> str:
        steps = [(a.on, a.pk, _contact(a)) for a in case.contacts_in_year]
        steps += [
            (
                d.decided_on,
                d.pk,
                f"{paper.iso(d.decided_on)} {d.decided_by}作出{d.get_kind_display()}决定（{d.document_ref}）",
            )
            for d in case.decisions_in_year
        ]
        return "；".join(text for _day, _pk, text in sorted(steps, key=lambda s: s[:2])) or "—"


TRANSFERS = TransfersRegister()
LOST = LostRegister()

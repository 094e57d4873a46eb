"""A request or a report as a party document (.docx, GB/T 9704), and the submissions part of the yearly ledger.

The document: the 版头 (the sender's mark in red and the 文号 above the red line, ``paper.letterhead``), the title,
the addressee (主送机关, flush left with a full-width colon, §7.3.2), the body, the list of attachments (附件说明,
§7.3.4: 附件：1. …), the sender and the date it was sent (§7.3.5), and for a request the contact (附注, §7.3.6:
请示应当在附注处注明联系人和联系电话). A draft prints "（报送时生成文号）" where the number goes.

The ledger part (section 请示报告): the organisation's submissions sent in the year — 文号, kind, title, sent,
state and answer — and, for an organisation that answers, what it received; 个人有关事项 stay out of the book.
Its gaps: drafts never sent, requests unanswered past their deadline. Its attachments: the files sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from docx.shared import Pt

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerAttachment, LedgerGap, Period
from dangjian.orgs.models import Organization

from .models import PENDING, Category, Kind, Status, Submission, SubmissionAttachment


def _local(dt) -> Any:
    return timezone.localtime(dt).date() if dt else None


def submission_docx(sub: Submission, attachments: list[SubmissionAttachment]) -> bytes:
    doc = paper.new_document()
    issuer = paper.party_name(sub.organization.name)
    paper.letterhead(doc, issuer, sub.document_number or _t("（报送时生成文号）"))
    paper.title(doc, sub.title)
    paper.paragraph(doc, f"{paper.party_name(sub.addressee.name)}：", indent=False)
    for line in sub.body.splitlines():
        if line.strip():
            paper.paragraph(doc, line.strip())
    if attachments:
        # 附件说明: one line below the text, two characters in; several files numbered, aligned after 附件：
        first = paper.paragraph(doc, "")
        first.paragraph_format.space_before = Pt(paper.LINE_PITCH.pt)
        for n, a in enumerate(attachments, start=1):
            label = _t("附件：") if n == 1 else "\u3000" * 3
            text = f"{label}{n}. {a.name}" if len(attachments) > 1 else f"{label}{a.name}"
            paper.paragraph(doc, text)
    paper.signature(doc, issuer, paper.cn_date(_local(sub.sent_at)) or _t("（报送日期）"))
    if sub.kind == Kind.REQUEST:
        drafter = getattr(sub.drafted_by, "person", None)
        name = drafter.name if drafter else sub.drafted_by.get_username()
        paper.paragraph(doc, _t("（联系人：%(name)s）") % {"name": name})
    return paper.to_bytes(doc)


def docx_filename(sub: Submission) -> str:
    return f"{sub.document_number or sub.title}.docx".replace("/", "_")


# --- the ledger ------------------------------------------------------------------------------------------------

HEADERS = (_("文号"), _("文种"), _("标题"), _("报送日期"), _("办理情况"))
WIDTHS = (34, 10, 44, 21, 47)  # mm: a long 文号 wraps after the sender's name; a date 2026-03-05 fits 21 mm


def _state(sub: Submission) -> str:
    """The state and the answer as the ledger prints it: 同意（2026-03-05） / 退回：reasons / 待答复（期限…）."""
    if sub.status in (Status.APPROVED, Status.READ):
        label = str(sub.get_status_display())
        text = f"{label}（{paper.iso(_local(sub.answered_at))}）"
        said = sub.answer_text.strip().rstrip("。")
        return f"{text}：{sub.answer_text}" if said and said != label else text
    if sub.status == Status.RETURNED:
        return _t("退回（%(d)s）：%(why)s") % {"d": paper.iso(_local(sub.answered_at)), "why": sub.answer_text}
    if sub.deadline:
        return _t("%(state)s（答复期限%(d)s）") % {"state": sub.get_status_display(), "d": paper.iso(sub.deadline)}
    return str(sub.get_status_display())


@dataclass(frozen=True)
class SubmissionsRecord(DocumentPart):
    key: str = "submissions.year"
    section: str = "submissions"
    title: Any = ""
    order: int = 10

    def sent(self, organization: Organization, period: Period):
        return (
            Submission.objects.filter(organization=organization, year=period.end.year)
            .exclude(status=Status.DRAFT)
            .exclude(category=Category.PERSONAL)
            .select_related("addressee")
            .order_by("seq", "pk")
        )

    def received(self, organization: Organization, period: Period):
        return (
            Submission.objects.filter(addressee=organization, year=period.end.year)
            .exclude(organization=organization)
            .exclude(status=Status.DRAFT)
            .exclude(category=Category.PERSONAL)
            .select_related("organization")
            .order_by("organization__path", "seq", "pk")
        )

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        sent, received = list(self.sent(organization, period)), list(self.received(organization, period))
        if not sent and not received:
            paper.paragraph(document, _t("本年度无请示报告。"))
            return
        rows = [
            (s.document_number, s.get_kind_display(), s.title, paper.iso(_local(s.sent_at)), _state(s)) for s in sent
        ]
        if received:
            paper.subheading(document, _t("一、本组织报送的请示报告"))
        if rows:
            paper.table(document, [str(h) for h in HEADERS], rows, widths=WIDTHS, numeric=(1, 3))
        else:
            paper.paragraph(document, _t("本年度本组织未报送请示报告。"))
        if received:
            paper.subheading(document, _t("二、收到下级党组织的请示报告"))
            paper.table(
                document,
                [str(h) for h in HEADERS],
                [
                    (s.document_number, s.get_kind_display(), s.title, paper.iso(_local(s.sent_at)), _state(s))
                    for s in received
                ],
                widths=WIDTHS,
                numeric=(1, 3),
            )

    def gaps(self, organization: Organization, period: Period):
        today = timezone.localdate()
        rows = (
            Submission.objects.filter(year=period.end.year)
            .filter(
                Q(organization=organization, status=Status.DRAFT)
                | Q(
                    Q(organization=organization) | Q(addressee=organization),
                    kind=Kind.REQUEST,
                    status__in=PENDING,
                    deadline__lt=today,
                )
            )
            .exclude(category=Category.PERSONAL)
            .select_related("organization")
            .order_by("pk")
        )
        for s in rows:
            link = reverse("submissions:detail", args=[s.pk])
            if s.status == Status.DRAFT:
                yield LedgerGap("submissions", _t("“%(t)s”拟稿后未报送") % {"t": s.title}, link)
            else:
                yield LedgerGap(
                    "submissions",
                    _t("%(org)s“%(t)s”（%(no)s）超过答复期限%(d)s仍未答复")
                    % {"org": s.organization.name, "t": s.title, "no": s.document_number, "d": paper.iso(s.deadline)},
                    link,
                    due=s.deadline,
                )

    def attachments(self, organization: Organization, period: Period):
        rows = (
            SubmissionAttachment.objects.filter(
                submission__organization=organization,
                submission__year=period.end.year,
                submission__deleted_at__isnull=True,
                removed_at__isnull=True,
            )
            .exclude(submission__status=Status.DRAFT)
            .exclude(submission__category=Category.PERSONAL)
            .select_related("submission")
            .order_by("submission__seq", "pk")
        )
        for a in rows:
            number = a.submission.document_number
            yield LedgerAttachment(
                "submissions",
                f"{number}/{a.pk}_{a.name}",
                f"{number} {a.submission.title}：{a.name}",
                _opener(a),
                a.size,
            )


def _opener(a: SubmissionAttachment):
    return lambda: a.file.open("rb")


RECORD = SubmissionsRecord()

"""Writes of requests and reports (请示报告), each in one transaction, audited, with its scope re-checked.

- A draft is written by the maintainers of the sending organisation (``submissions.change`` over it); a
  个人有关事项 only by a leader, for themselves: nobody else edits, sends or even sees it before it is sent.
- Sending checks the rules of the kind (``rules.one_matter_problems``: 请示一文一事, no request inside a report),
  takes the next 文号 of the sending organisation's year (one sequence with its other documents,
  ``core.document_numbers``) and, for a request, sets the answer's deadline from the
  rule store (``submissions.request.answer_working_days``).
- Only the committee office over the addressee (``submissions.answer``) receives and answers — never the person
  who wrote a personal matter: a request is approved (同意) or returned with reasons (退回); a report is read (已阅) or
  returned. A returned one is sent again as a new draft linked to the old (``previous``), its files carried over.
- A draft is withdrawn with a reason (soft delete); a sent one stays on the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.roles import Role
from dangjian.accounts.scope import assignments_of, can
from dangjian.audit.services import record, snapshot
from dangjian.core import attachments as files
from dangjian.core.document_numbers import next_number
from dangjian.core.uploads import accept_attribute, check_upload
from dangjian.orgs.models import Organization, OrgKind
from dangjian.rules import services as rule_store

from . import rules
from .models import Category, Kind, Status, Submission, SubmissionAttachment
from .queries import ANSWER, CHANGE, VIEW, visible
from .rule_data import ANSWER_DAYS, SUBMISSION_RULES

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".ofd", ".jpg", ".jpeg", ".png")
ACCEPT = accept_attribute(EXTENSIONS)
KINDS = gettext_lazy("PDF、Word、Excel、OFD 文件或 JPG、PNG 图片")
# Organisations that answer what the organisations below send (a 党小组 sends nothing on its own)
ADDRESSEE_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)

NOT_DRAFT = gettext_lazy("只有草稿可以修改")
NOT_YOURS = gettext_lazy("您无权办理该请示报告")


# --- who may do what ------------------------------------------------------------------------------------------


def is_leader(user) -> bool:
    return any(a.role == Role.LEADER for a in assignments_of(user))


def can_keep(user, sub: Submission) -> bool:
    """Draft, send, withdraw, send again: the sending organisation's maintainers; a personal matter its author."""
    if sub.is_personal:
        return sub.drafted_by_id == user.pk and can(user, CHANGE, sub.organization)
    return can(user, CHANGE, sub.organization)


def can_answer(user, sub: Submission) -> bool:
    """Receive and answer: the committee office over the addressee (strictly above the sender, so an office never
    answers its own organisation's request); a leader never answers their own personal matter."""
    if sub.is_personal and sub.drafted_by_id == user.pk:
        return False
    return can(user, ANSWER, sub.addressee)


def actions(user, sub: Submission) -> list[str]:
    """What ``user`` may do with ``sub`` now, for the detail page's buttons."""
    out: list[str] = []
    keep = can_keep(user, sub)
    if sub.status == Status.DRAFT and keep:
        out += ["edit", "send", "withdraw"]
    if sub.status == Status.RETURNED and keep and not sub.resubmissions.exists():
        out.append("resubmit")
    if sub.status in (Status.SENT, Status.RECEIVED) and can_answer(user, sub):
        if sub.status == Status.SENT:
            out.append("receive")
        out.append("answer")
    return out


# --- the addressee ---------------------------------------------------------------------------------------------


def ancestors(org: Organization) -> list[Organization]:
    """The organisations above ``org`` that answer requests, nearest first."""
    steplen = org.steplen
    paths = [org.path[:n] for n in range(steplen, len(org.path), steplen)]
    rows = Organization.objects.filter(path__in=paths, kind__in=ADDRESSEE_KINDS)
    return sorted(rows, key=lambda o: -o.depth)


def addressee_choices(org: Organization, category: str = "") -> list[Organization]:
    """Where ``org`` may send: the committees and general branches above it, nearest first; a personal matter may
    also go to the sender's own committee (a leader reports to the committee they sit on)."""
    choices = ancestors(org)
    if category == Category.PERSONAL and org.kind == OrgKind.COMMITTEE:
        choices.insert(0, org)
    return choices


def default_addressee(org: Organization, category: str = "") -> Organization | None:
    """The nearest 党委 above (a general branch only when no committee is above it)."""
    choices = addressee_choices(org, category)
    if category == Category.PERSONAL and choices and choices[0].pk == org.pk:
        return org
    return next((o for o in choices if o.kind == OrgKind.COMMITTEE), choices[0] if choices else None)


# --- drafts ----------------------------------------------------------------------------------------------------


def _locked(user, pk: int) -> Submission:
    sub = (
        visible(user, VIEW)
        .filter(pk=pk)
        .select_related("organization", "addressee")
        .select_for_update(of=("self",))
        .first()
    )
    if sub is None:
        raise Http404(_("对象不存在"))
    return sub


def _fill(sub: Submission, user, data: dict[str, Any]) -> None:
    org = data.get("organization") or getattr(sub, "organization", None)
    if org is None:
        raise ValidationError({"organization": _("请选择报送组织")})
    if not can(user, CHANGE, org):
        raise ValidationError({"organization": _("您无权以该组织名义报送")})
    kind, category = data.get("kind") or "", data.get("category") or ""
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择文种")})
    if category not in Category.values:
        raise ValidationError({"category": _("请选择类别")})
    if category == Category.PERSONAL and not is_leader(user):
        raise ValidationError({"category": _("个人有关事项只能由领导本人报告")})
    choices = addressee_choices(org, category)
    addressee = data.get("addressee") or default_addressee(org, category)
    if addressee is None:
        raise ValidationError({"addressee": _("该组织没有上级党组织，无法报送")})
    if addressee.pk not in {o.pk for o in choices}:
        raise ValidationError({"addressee": _("主送组织应为报送组织的上级党组织")})
    title, body = (data.get("title") or "").strip(), (data.get("body") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写标题")})
    if not body:
        raise ValidationError({"body": _("请填写正文")})
    sub.organization, sub.addressee, sub.kind, sub.category = org, addressee, kind, category
    sub.title, sub.body = title, body


def save_draft(user, data: dict[str, Any], pk: int | None = None) -> Submission:
    """A new draft, or the edit of a draft: organisation, addressee, kind, category, title and body."""
    with transaction.atomic():
        if pk is None:
            sub = Submission(drafted_by=user, year=timezone.localdate().year)
            before = None
        else:
            sub = _locked(user, pk)
            if not can_keep(user, sub):
                raise ValidationError(NOT_YOURS)
            if sub.status != Status.DRAFT:
                raise ValidationError(NOT_DRAFT)
            before = snapshot(sub)
        _fill(sub, user, data)
        sub.full_clean(exclude=["drafted_by", "previous"])
        sub.save()
        record("create" if before is None else "update", sub, before=before, after=snapshot(sub))
    return sub


def check_rules(sub: Submission) -> None:
    """请示一文一事 and no request inside a report (``rules.one_matter_problems``), as a ValidationError."""
    problems: dict[str, list[str]] = {}
    for field, message in rules.one_matter_problems(sub.kind, sub.title, sub.body):
        problems.setdefault(field, []).append(_(message))
    if problems:
        raise ValidationError(problems)


def send(user, pk: int) -> Submission:
    """Sends a draft: the rules of its kind checked, the next 文号 of the sender's year taken, a request's deadline
    set (N working days after the day it is sent, N from the rule store)."""
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        sub = _locked(user, pk)
        if not can_keep(user, sub):
            raise ValidationError(NOT_YOURS)
        if sub.status != Status.DRAFT:
            raise ValidationError(_("该请示报告已报送"))
        check_rules(sub)
        org = sub.organization
        before = snapshot(sub)
        # the sender's one sequence of 文号 for the year, shared with its other documents (the printed 请示 of an
        # admission): the counter's row is locked until this transaction ends
        sub.year, sub.seq = today.year, next_number(org.pk, today.year)
        sub.document_number = rules.document_number(org.display_name, sub.year, sub.seq)
        sub.status, sub.sent_at, sub.sent_by = Status.SENT, now, user
        if sub.kind == Kind.REQUEST:
            days = rule_store.table(SUBMISSION_RULES, org).value(ANSWER_DAYS, today)
            sub.deadline = rules.add_working_days(today, days)
        sub.save()
        record("update", sub, before=before, after=snapshot(sub), detail={"change": "send"})
    return sub


def withdraw(user, pk: int, reason: str) -> Submission:
    """A draft that will not be sent leaves the lists; the row stays with the reason."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写撤回原因")})
    with transaction.atomic():
        sub = _locked(user, pk)
        if not can_keep(user, sub):
            raise ValidationError(NOT_YOURS)
        if sub.status != Status.DRAFT:
            raise ValidationError(_("已报送的请示报告不能撤回"))
        before = snapshot(sub)
        sub.withdraw_reason = reason.strip()
        sub.mark_deleted(user)
        sub.save()
        record("delete", sub, before=before, after=snapshot(sub), detail={"change": "withdraw"})
    return sub


def resubmit(user, pk: int) -> Submission:
    """A returned submission as a new draft (version + 1) linked to the old, with its files, to be corrected and
    sent again under a new 文号."""
    with transaction.atomic():
        old = _locked(user, pk)
        if not can_keep(user, old):
            raise ValidationError(NOT_YOURS)
        if old.status != Status.RETURNED:
            raise ValidationError(_("只有被退回的请示报告可以重新报送"))
        if old.resubmissions.exists():
            raise ValidationError(_("该请示报告已重新拟稿"))
        sub = Submission.objects.create(
            organization=old.organization,
            addressee=old.addressee,
            kind=old.kind,
            category=old.category,
            title=old.title,
            body=old.body,
            year=timezone.localdate().year,
            drafted_by=user,
            previous=old,
            version=old.version + 1,
        )
        record("create", sub, after=snapshot(sub), detail={"change": "resubmit", "previous": old.pk})
        for a in old.attachments.filter(removed_at__isnull=True).order_by("pk"):
            copy = SubmissionAttachment.objects.create(
                submission=sub,
                file=a.file.name,
                name=a.name,
                size=a.size,
                content_type=a.content_type,
                uploaded_by=a.uploaded_by,
            )
            record("create", copy, after=snapshot(copy), detail={"copied_from": a.pk})
    return sub


# --- the office above ------------------------------------------------------------------------------------------


def receive(user, pk: int) -> Submission:
    """The office over the addressee signs for a sent submission (签收)."""
    with transaction.atomic():
        sub = _locked(user, pk)
        if not can_answer(user, sub):
            raise ValidationError(_("只有上级党组织的党委办公室可以签收"))
        if sub.status != Status.SENT:
            raise ValidationError(_("该请示报告不是待签收状态"))
        before = snapshot(sub)
        sub.status, sub.received_at, sub.received_by = Status.RECEIVED, timezone.now(), user
        sub.save(update_fields=["status", "received_at", "received_by", "updated_at"])
        record("update", sub, before=before, after=snapshot(sub), detail={"change": "receive"})
    return sub


DECISIONS = {
    Kind.REQUEST: (Status.APPROVED, Status.RETURNED),
    Kind.REPORT: (Status.READ, Status.RETURNED),
}


def answer(user, pk: int, decision: str, text: str = "") -> Submission:
    """Answers a request (同意 / 退回) or a report (已阅 / 退回); a return needs its reasons. An answer to a
    submission not yet signed for signs for it too."""
    now = timezone.now()
    with transaction.atomic():
        sub = _locked(user, pk)
        if not can_answer(user, sub):
            raise ValidationError(_("只有上级党组织的党委办公室可以答复"))
        if sub.status not in (Status.SENT, Status.RECEIVED):
            raise ValidationError(_("该请示报告已答复"))
        if decision not in DECISIONS[Kind(sub.kind)]:
            raise ValidationError({"decision": _("请选择办理结果")})
        text = (text or "").strip()
        if decision == Status.RETURNED and not text:
            raise ValidationError({"text": _("退回时请写明退回原因")})
        before = snapshot(sub)
        if sub.received_at is None:
            sub.received_at, sub.received_by = now, user
        sub.status, sub.answered_at, sub.answered_by, sub.answer_text = decision, now, user, text
        sub.save()
        record("update", sub, before=before, after=snapshot(sub), detail={"change": "answer", "decision": decision})
    return sub


# --- attachments -----------------------------------------------------------------------------------------------


def _takes_files(user, sub: Submission) -> None:
    if not can_keep(user, sub):
        raise ValidationError(NOT_YOURS)
    if sub.status != Status.DRAFT:
        raise ValidationError(_("报送后附件不能再增删"))


def add_attachment(user, pk: int, upload: UploadedFile) -> SubmissionAttachment:
    ext, content_type = check_upload(upload, EXTENSIONS, MAX_ATTACHMENT_BYTES, str(KINDS))
    with transaction.atomic():
        sub = _locked(user, pk)
        _takes_files(user, sub)
        attachment = SubmissionAttachment(
            submission=sub,
            name=files.display_name(upload),
            size=upload.size or 0,
            content_type=content_type,
            uploaded_by=user,
        )
        files.store(attachment, upload, ext, detail={"submission": sub.pk})
    return attachment


def remove_attachment(user, pk: int, attachment_pk: int) -> SubmissionAttachment:
    """Soft removal from a draft: the row and the file stay for the record."""
    with transaction.atomic():
        sub = _locked(user, pk)
        _takes_files(user, sub)
        removed = files.remove(sub.attachments.all(), attachment_pk, detail={"submission": sub.pk})
    return removed  # type: ignore[return-value]


def live_attachments(subs: Sequence[Submission]) -> dict[int, list[SubmissionAttachment]]:
    """The files still attached to each submission, in one query."""
    out: dict[int, list[SubmissionAttachment]] = {s.pk: [] for s in subs}
    rows = SubmissionAttachment.objects.filter(submission__in=list(out), removed_at__isnull=True).order_by("pk")
    for a in rows:
        out[a.submission_id].append(a)
    return out

"""The branch's month collection in one form, and the payroll-deduction import."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core.downloads import attachment
from dangjian.core.scoping import get_visible, require_perm
from dangjian.orgs.models import Organization, OrgKind

from .. import collection, payroll_import
from ..collection_forms import COLLECTION_METHODS, CollectionForm, CollectionPickForm, PayrollImportForm
from ..ledger import STATUS_LABELS
from ..months import label, month_start, parse_month
from ..services import CHANGE


def _branches(request: HttpRequest):
    return Organization.objects.visible_to(request.user, CHANGE).filter(kind=OrgKind.BRANCH).order_by("path")


def _month(raw) -> date:
    try:
        return parse_month(raw) if raw else month_start(timezone.localdate())
    except ValueError:
        return month_start(timezone.localdate())


@require_perm(CHANGE)
def collection_pick(request: HttpRequest) -> HttpResponse:
    """Choose the branch and the month; a secretary of one branch goes straight to it."""
    branches = list(_branches(request))
    today = timezone.localdate()
    form = CollectionPickForm(request.GET or None, branches=branches, initial={"month": month_start(today)})
    if form.is_valid():
        url = reverse("dues:collection", args=[form.cleaned_data["org"]])
        month = form.cleaned_data["month"]
        return redirect(url + "?" + urlencode({"month": f"{month:%Y-%m}"}))
    if len(branches) == 1 and not request.GET:
        return redirect(reverse("dues:collection", args=[branches[0].pk]))
    return render(request, "dues/collection_pick.html", {"form": form, "can_change": True})


@require_perm(CHANGE)
def collection_branch(request: HttpRequest, org_id: int) -> HttpResponse:
    """Everyone who owes the month, pre-ticked as paid with the computed amount; a confirmation, then one write."""
    branch = get_visible(Organization.objects.all(), request.user, CHANGE, pk=org_id)
    month = _month(request.POST.get("month") or request.GET.get("month"))
    rows = collection.collection_rows(request.user, branch, month)
    today = timezone.localdate()
    confirming = False
    if request.method == "POST":
        form = CollectionForm(request.POST, rows=rows)
        if form.is_valid() and "edit" not in request.POST:
            if "confirm" not in request.POST:
                confirming = True
            else:
                try:
                    result = collection.record_collection(
                        request.user,
                        branch,
                        month,
                        paid_on=form.cleaned_data["paid_on"],
                        method=form.cleaned_data["method"],
                        entries=form.entries,
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict"):
                        for key, errors in exc.message_dict.items():
                            if key.isdigit():
                                form.row_errors.setdefault(int(key), []).extend(errors)
                            else:
                                form.add_error(None, errors)
                    else:
                        form.add_error(None, exc.messages)
                    form.add_error(None, _("未登记任何党费，请按提示修改后重新提交"))
                else:
                    messages.success(
                        request,
                        _("已登记%(branch)s%(month)s党费：%(n)s 人，合计 ¥%(total)s")
                        % {
                            "branch": branch.name,
                            "month": label(month),
                            "n": len(result.payments),
                            "total": result.total,
                        },
                    )
                    ledger = reverse("dues:ledger")
                    return redirect(ledger + "?" + urlencode({"month": f"{month:%Y-%m}", "org": branch.pk}))
    else:
        form = CollectionForm(initial={"paid_on": today}, rows=rows)
    offered = [r for r in rows if r.offered]
    chosen = {e.person_id: e for e in form.entries} if confirming else {}
    return render(
        request,
        "dues/collection.html",
        {
            "form": form,
            "branch": branch,
            "month": month,
            "month_label": label(month),
            "month_value": f"{month:%Y-%m}",
            "rows": [_view_row(form, r, chosen) for r in rows],
            "offered_count": len(offered),
            "confirming": confirming,
            "method_label": dict(COLLECTION_METHODS).get(form.cleaned_data.get("method"), "") if confirming else "",
            "chosen_count": len(chosen),
            "unpaid_count": len(offered) - len(chosen),
            "statuses": STATUS_LABELS,
            "can_change": True,
        },
    )


def _view_row(form: CollectionForm, row: collection.CollectionRow, chosen: dict) -> dict:
    owed = row.owed
    entry = chosen.get(row.person_id)
    return {
        "row": row,
        "line": row.line,
        "paid": bool(form.value(row, "paid", "1")),
        "amount": form.value(row, "amount", f"{owed:.2f}" if owed is not None else ""),
        "note": form.value(row, "note", ""),
        "errors": form.row_errors.get(row.person_id, []),
        "entry": entry,
        "differs": entry is not None and owed is not None and entry.amount != owed,
        "refusal": "" if row.offered else collection.refusal(row, row.line.month),
    }


@require_perm(CHANGE)
def payroll_template(request: HttpRequest) -> HttpResponse:
    return attachment(payroll_import.build_template(), "dues-payroll-template.xlsx")


@require_perm(CHANGE)
def payroll(request: HttpRequest) -> HttpResponse:
    """Upload the payroll deductions: a dry run previews every payment; a real run writes all rows or none."""
    form = PayrollImportForm(request.POST or None, request.FILES or None, initial={"paid_on": timezone.localdate()})
    report = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = payroll_import.import_payroll(
                request.user,
                upload.read(),
                upload.name,
                paid_on=form.cleaned_data["paid_on"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except payroll_import.SheetError as exc:
            file_error = str(exc)
        else:
            if report.ok and not report.dry_run:
                messages.success(request, report.summary())
                return redirect("dues:payroll")
    return render(
        request, "dues/payroll.html", {"form": form, "report": report, "file_error": file_error, "can_change": True}
    )

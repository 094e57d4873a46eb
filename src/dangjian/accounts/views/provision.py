"""Opening member accounts from the roster (accounts.provisioning), for the office and branch secretaries.

Choose an organisation in scope and members or all employees; the preview lists who gets an account and who is
left out and why; the confirmation opens them; the result page shows the one-time passwords and offers the sheet
for each branch (.xlsx, .docx).

The passwords must reach the secretary who opened the accounts and nobody else, and only for a short while: the
result is kept in that secretary's own session, sealed with the field key (``dangjian.crypto``, SM4-GCM by default;
the session table is in the database), bound to the account, and dropped after ``KEEP_MINUTES``, on "done" or at
logout. It is never written to the audit log or any table in clear.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dangjian.core.downloads import attachment
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.crypto import SealError, ring
from dangjian.orgs.models import Organization

from .. import provisioning, separation
from ..provision_sheet import SheetRow, docx_bytes, site_address, xlsx_bytes
from ..scope import scope_for

PERM = provisioning.PERM
WEB_LIMIT = 200  # accounts one request may open: each password is hashed with Argon2 (~0.2 s)
KEEP_MINUTES = 30
SESSION_KEY = "accounts.provision.result"
PAGE_SIZE = 50
SKIPPED_SHOWN = 100


def _organizations(user):
    """Where the user may open accounts: committees, general branches and branches in scope (not party groups)."""
    return Organization.objects.visible_to(user, PERM).active().exclude(kind="group").order_by("path")


def _own(user, orgs) -> Organization | None:
    """The organisation of the user's own assignment (the highest, for an office over several), else the first."""
    scope = scope_for(user, PERM)
    paths = [*scope.subtree_paths, *scope.exact_paths]
    own = orgs.filter(path__in=paths).order_by("depth", "path").first() if paths else None
    return own or orgs.first()


class ChoiceForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=gettext_lazy("党组织"))
    employees = forms.BooleanField(
        required=False,
        label=gettext_lazy("全体职工"),
        help_text=gettext_lazy("不勾选时只为党员开通；勾选后也为所覆盖部门的非党员职工开通"),
    )

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = orgs
        self.fields["organization"].error_messages["invalid_choice"] = _("请选择您范围内的党组织")


class ConfirmForm(forms.Form):
    # Both come back from hidden inputs of the preview: what the secretary chose and how many she saw.
    employees = forms.BooleanField(label=gettext_lazy("全体职工"), required=False, widget=forms.HiddenInput)
    count = forms.IntegerField(label=gettext_lazy("预览人数"), min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=gettext_lazy("我已核对以上名单，确认开通"),
        error_messages={"required": gettext_lazy("请勾选“我已核对以上名单，确认开通”")},
    )


def _choice(request: HttpRequest, orgs) -> tuple[ChoiceForm, Organization | None, bool]:
    """The chosen organisation (default: the user's own) and whether all employees; another's organisation: 404."""
    raw = request.GET.get("organization", "")
    if raw:
        # Out of scope answers "not found", as every page does, before the form says anything about it.
        get_visible(Organization.objects.all(), request.user, PERM, pk=raw)
    form = ChoiceForm(request.GET if raw else None, orgs=orgs, initial={"organization": _own(request.user, orgs)})
    if raw:
        if not form.is_valid():
            return form, None, False
        return form, form.cleaned_data["organization"], form.cleaned_data["employees"]
    return form, form.initial["organization"], False


@never_cache
@require_perm(PERM)
def provision(request: HttpRequest) -> HttpResponse:
    """The preview: who gets an account (paged), who is left out and why. Nothing is written."""
    orgs = _organizations(request.user)
    form, org, employees = _choice(request, orgs)
    context: dict = {"form": form, "org": org, "employees": employees, "limit": WEB_LIMIT}
    if org is not None:
        report = provisioning.provision(request.user, org, employees=employees, dry_run=True)
        keep = {"organization": org.pk, **({"employees": "on"} if employees else {})}
        context |= {
            "report": report,
            "page": paginate(request, report.rows, PAGE_SIZE, keep=keep),
            "skipped": report.skipped[:SKIPPED_SHOWN],
            "more_skipped": max(0, len(report.skipped) - SKIPPED_SHOWN),
            "too_many": len(report.rows) > WEB_LIMIT,
            "confirm": ConfirmForm(initial={"employees": employees, "count": len(report.rows)}),
        }
    return render(request, "accounts/provision.html", context)


def _preview_url(org: Organization, employees: bool) -> str:
    query = {"organization": org.pk, **({"employees": "on"} if employees else {})}
    return f"{reverse('accounts:provision')}?{urlencode(query)}"


@require_POST
@require_perm(PERM)
def provision_confirm(request: HttpRequest, org_id: int) -> HttpResponse:
    org = get_visible(Organization.objects.all(), request.user, PERM, pk=org_id)
    form = ConfirmForm(request.POST)
    employees = request.POST.get("employees") in ("on", "true", "True", "1")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_preview_url(org, employees))
    try:
        preview = provisioning.provision(request.user, org, employees=employees, dry_run=True)
        if len(preview.rows) != form.cleaned_data["count"]:
            # The list changed since it was shown (another secretary, an import): the secretary confirms what she saw.
            messages.error(request, _("名单已发生变化，请重新核对后再确认"))
            return redirect(_preview_url(org, employees))
        report = provisioning.provision(request.user, org, employees=employees, limit=WEB_LIMIT)
    except separation.Refused as exc:
        messages.error(request, exc.message)
        return redirect(_preview_url(org, employees))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_preview_url(org, employees))
    if not report.rows:
        messages.info(request, _("没有需要开通账号的人员"))
        return redirect(_preview_url(org, employees))
    _keep(request, report)
    messages.success(request, _("已开通 %(n)s 个党员账号") % {"n": len(report.rows)})
    return redirect("accounts:provision_result")


# --- The result, kept sealed in the actor's session -------------------------------------------------------------


def _context(request: HttpRequest) -> str:
    return f"accounts.provision:{request.user.pk}"


def _keep(request: HttpRequest, report: provisioning.Report) -> None:
    payload = {
        "organization": report.organization,
        "employees": report.employees,
        "site": site_address(request),
        "dated": timezone.localdate().isoformat(),
        "rows": [[r.branch, r.name, r.username, r.password] for r in report.rows],
    }
    sealed = ring().encrypt_json(payload, _context(request))
    request.session[SESSION_KEY] = {
        "sealed": base64.b64encode(sealed).decode(),
        "until": (timezone.now() + timedelta(minutes=KEEP_MINUTES)).isoformat(),
    }


def _kept(request: HttpRequest) -> dict | None:
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return None
    try:
        if datetime.fromisoformat(kept["until"]) < timezone.now():
            raise ValueError("expired")
        payload = ring().decrypt_json(base64.b64decode(kept["sealed"]), _context(request))
    except (KeyError, TypeError, ValueError, SealError):
        request.session.pop(SESSION_KEY, None)
        return None
    payload["rows"] = [SheetRow(*r) for r in payload["rows"]]
    payload["dated"] = datetime.fromisoformat(payload["dated"]).date()
    return payload


def _gone(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request,
        _("开通结果已不可查看：初始密码只在开通后 %(minutes)s 分钟内向开通人本人显示；如有遗失，请系统管理员重置密码")
        % {"minutes": KEEP_MINUTES},
    )
    return redirect("accounts:provision")


@never_cache
@require_perm(PERM)
def provision_result(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if kept is None:
        return _gone(request)
    page = paginate(request, kept["rows"], PAGE_SIZE)
    return render(request, "accounts/provision_result.html", {"kept": kept, "page": page, "minutes": KEEP_MINUTES})


def _filename(kept: dict, ext: str) -> str:
    return f"{kept['organization']}-党员账号开通通知单-{kept['dated']:%Y%m%d}.{ext}"


@never_cache
@require_perm(PERM)
def provision_xlsx(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if kept is None:
        return _gone(request)
    return attachment(xlsx_bytes(kept["rows"], kept["site"]), _filename(kept, "xlsx"))


@never_cache
@require_perm(PERM)
def provision_docx(request: HttpRequest) -> HttpResponse:
    kept = _kept(request)
    if kept is None:
        return _gone(request)
    content = docx_bytes(kept["rows"], kept["site"], kept["organization"], kept["dated"])
    return attachment(content, _filename(kept, "docx"))


@require_POST
@require_perm(PERM)
def provision_discard(request: HttpRequest) -> HttpResponse:
    """ "Done": the passwords are forgotten now rather than when the session ends."""
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("开通结果已清除"))
    return redirect("accounts:provision")

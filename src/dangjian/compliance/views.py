"""Compliance pages: the heat map, one organisation's obligations, and the rule table (committee office).

Every page runs a constant number of queries whatever the size of the tree: the heat map pages the
organisations first and hands only that page to the engine's single statement.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import WHOLE_TREE, can, has_perm
from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.core.scoping import get_visible, require_perm
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.meetings.models.meeting import HELD_STATUSES, QUORUM_KINDS
from dangjian.meetings.rules import committee_quorum_met
from dangjian.orgs.models import Organization, OrgKind
from dangjian.rules import services as rule_store
from dangjian.rules.models import RuleVersion

from . import engine, lapsed, lights, obligations, services
from .engine import PRESENT_STATUSES
from .forms import RuleForm, SettingForm, ToggleForm
from .obligations import ObligationTerms
from .periods import local_midnight
from .rule_data import COMPLIANCE_SETTINGS

VIEW = "meetings.view"
CHANGE = services.PERM
PAGE_SIZE = 50
FIRST_YEAR = 2018
MONTHS = list(range(1, 13))
_ATTENTION = (lights.OVERDUE, lights.DUE_SOON)
CELL_SYMBOLS = {
    lights.DONE: "✓",
    lights.DUE_SOON: "!",
    lights.OVERDUE: "✗",
    lights.NOT_DUE: "·",
    lights.NOT_OWED: "",
}


def _year(raw: str | None, today: date) -> int:
    try:
        year = int(raw or today.year)
    except ValueError:
        return today.year
    return year if FIRST_YEAR <= year <= today.year + 1 else today.year


def _existed_in(year: int) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=date(year, 12, 31))) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=date(year, 1, 1))
    )


@require_perm(VIEW)
def heatmap(request: HttpRequest) -> HttpResponse:
    """Organisations × months of a year, each cell the worst light of the items whose period ends that month.

    Like every list page, it shows what the user's scope covers: a member, whose ``meetings.view`` covers only
    their own record, sees an empty page (so the menu entry can use ``meetings.view``); an organisation outside
    the scope named in ``?org=`` is 404.
    """
    user = request.user
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today)
    orgs = Organization.objects.visible_to(user, VIEW)
    root = None
    if request.GET.get("org"):
        root = get_visible(Organization.objects.all(), user, VIEW, pk=request.GET["org"])
        orgs = orgs.subtree(root)
    rules = obligations.overlapping(rule_store.book(), date(year, 1, 1), date(year, 12, 31))
    kinds = sorted({r.org_kind for r in rules if r.active}, key=OrgKind.values.index)
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    orgs = orgs.filter(kind__in=[kind] if kind in kinds else kinds).filter(_existed_in(year))
    if q:
        orgs = orgs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    page = paginate(request, orgs.order_by("path"), PAGE_SIZE)
    page_orgs = list(page.object_list)
    matrix = engine.compute(Organization.objects.filter(pk__in=[o.pk for o in page_orgs]), [year], today, rules=rules)
    cells = matrix.cells(year)
    rows = []
    for org in page_orgs:
        row = cells.get(org.pk, {})
        rows.append((org, [(m, row.get(m, lights.NOT_OWED)) for m in MONTHS]))
    return render(
        request,
        "compliance/heatmap.html",
        {
            "year": year,
            "years": list(range(today.year + 1, FIRST_YEAR - 1, -1)),
            "root": root,
            "kind": kind,
            "kinds": [(k, OrgKind(k).label) for k in kinds],
            "q": q,
            "page": page,
            "rows": rows,
            "months": MONTHS,
            "symbols": CELL_SYMBOLS,
            "legend": [(k, lights.LIGHT_LABELS[k], CELL_SYMBOLS[k]) for k in lights.SEVERITY if k != lights.NOT_OWED],
            "can_edit_rules": can(user, "rules.edit", WHOLE_TREE),
            "can_see_lapsed": has_perm(user, lapsed.PERM),
        },
    )


@require_perm(VIEW)
def org_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    """One organisation's obligations of a year, per period, with each rule's citation and standing."""
    user = request.user
    org = get_visible(Organization.objects.all(), user, VIEW, pk=org_id)
    today = timezone.localdate()
    year = _year(request.GET.get("year"), today)
    matrix = engine.compute(Organization.objects.filter(pk=org.pk), [year], today)
    by_month: dict[int, list] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for item in sorted(matrix.items, key=lambda i: (i.period.sort_key, matrix.rules[i.rule_id].title)):
        rule = matrix.rules[item.rule_id]
        by_month[item.period.end_month].append((item, rule, matrix.message(item), lights.LIGHT_LABELS[item.light]))
        counts[item.severity_light] += 1
    attention = []
    for entries in by_month.values():
        for item, rule, message, label in entries:
            if item.severity_light not in _ATTENTION:
                continue
            if item.light == lights.DONE:  # enough meetings, but their minutes are late
                label = "记录逾期"
                message = lights.minutes_message(
                    period=item.period,
                    kind_label=str(rule.get_meeting_kind_display()),
                    count=item.minutes_missing,
                    minutes_days=matrix.settings["minutes_days"],
                    today=today,
                )
            attention.append((item, rule, message, label))
    attention.sort(key=lambda entry: (-lights.SEVERITY[entry[0].severity_light], entry[0].period.end))
    months = []
    for m in MONTHS:
        worst = lights.worst(entry[0].severity_light for entry in by_month[m])
        months.append((m, by_month[m], worst, lights.LIGHT_LABELS[worst]))
    return render(
        request,
        "compliance/org.html",
        {
            "org": org,
            "year": year,
            "years": list(range(today.year + 1, FIRST_YEAR - 1, -1)),
            "months": months,
            "attention": attention,
            "counts": [(k, lights.LIGHT_LABELS[k], counts.get(k, 0)) for k in lights.SEVERITY if counts.get(k)],
            "problems": _problem_meetings(org, year, today, matrix.settings["minutes_days"]),
            "minutes_days": matrix.settings["minutes_days"],
            "has_children": org.kind != OrgKind.GROUP and not org.is_leaf(),
        },
    )


def _problem_meetings(org: Organization, year: int, today: date, minutes_days: int) -> list[dict]:
    """The organisation's held meetings of the year whose minutes are late or that failed their quorum."""
    tz = engine.local_tz()
    cutoff = local_midnight(today - timedelta(days=minutes_days), tz)
    voting = Q(attendances__expected=True, attendances__voting=True)
    qs = (
        Meeting.objects.filter(
            organization=org,
            status__in=HELD_STATUSES,
            starts_at__gte=local_midnight(date(year, 1, 1), tz),
            starts_at__lt=local_midnight(date(year + 1, 1, 1), tz),
        )
        .annotate(
            due=Count("attendances", filter=voting),
            present=Count("attendances", filter=voting & Q(attendances__status__in=PRESENT_STATUSES)),
        )
        .filter(
            Q(status=MeetingStatus.HELD, starts_at__lt=cutoff)
            # the SQL form of "fewer than half" (半数以上 not met, art. 12): due > 2 * present; the exact test below
            | Q(kind__in=QUORUM_KINDS, due__gt=F("present") * 2)
        )
        .order_by("starts_at")
    )
    out = []
    for m in qs[:200]:
        quorum_failed = m.kind in QUORUM_KINDS and m.due > 0 and not committee_quorum_met(m.due, m.present)
        out.append(
            {
                "meeting": m,
                "minutes_late": m.status == MeetingStatus.HELD and m.starts_at < cutoff,
                "quorum_failed": quorum_failed,
            }
        )
    return out


# --- rule table (committee office) ---------------------------------------------------------------


def _office_only(request: HttpRequest) -> None:
    services.require_office(request.user)


@require_perm(CHANGE)
def rule_list(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    today = timezone.localdate()
    rules = []
    for key, vs in obligations.by_key(rule_store.book()).items():
        current = next((v for v in vs if v.in_force(today)), vs[-1])
        rules.append(
            {"key": key, "current": current, "latest": vs[-1], "versions": vs, "in_force": current.in_force(today)}
        )
    rules.sort(key=lambda r: (OrgKind.values.index(r["current"].org_kind), r["current"].title))
    settings_versions: dict[str, list[RuleVersion]] = defaultdict(list)
    keys = COMPLIANCE_SETTINGS.keys()
    for s in RuleVersion.objects.filter(key__in=keys, organization__isnull=True).order_by("key", "version"):
        settings_versions[s.key].append(s)
    settings_rows = [
        {
            "title": COMPLIANCE_SETTINGS.titles[key],
            "current": next((v for v in vs if v.in_force(today)), vs[-1]),
            "latest": vs[-1],
            "versions": vs,
        }
        for key, vs in settings_versions.items()
    ]
    return render(request, "compliance/rules.html", {"rules": rules, "settings_rows": settings_rows, "today": today})


@require_perm(CHANGE)
def rule_create(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    form = RuleForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            rule = services.create_rule(
                request.user, {**form.data_dict(), "effective_from": form.cleaned_data["effective_from"]}
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已新增规则：%(title)s") % {"title": rule.title})
            return redirect("compliance:rules")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("新增组织生活规则"),
            "intro": _("本单位规定（如党委理论学习中心组学习）请将依据类别设为“本单位设置”。"),
            "cancel_url": reverse("compliance:rules"),
        },
    )


def _editable(request: HttpRequest, code: str) -> tuple[ObligationTerms | None, HttpResponse | None]:
    """The newest version of obligation ``code``, or the way back to its source when the regulation sets it."""
    _office_only(request)
    current = services.latest(obligations.key_of(code))
    if current is None:
        raise Http404(_("对象不存在"))
    if not current.is_editable:
        messages.error(request, _("该规则是条例规定，只能查看依据，不能修改"))
        return None, redirect(f"{reverse('rules:catalogue')}?q={current.key}")
    return current, None


@require_perm(CHANGE)
def obligation_edit(request: HttpRequest, code: str) -> HttpResponse:
    """The edit page of an obligation: saving writes a new version from a date (or corrects one not yet in force)."""
    current, back = _editable(request, code)
    if current is None:
        return back
    form = RuleForm(request.POST or None, terms=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.revise_rule(
                request.user, current.key, form.data_dict(), data["effective_from"], data.get("reason", "")
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存：%(rule)s，自 %(date)s 起适用")
                % {"rule": new, "date": new.effective_from.strftime("%Y-%m-%d")},
            )
            return redirect("compliance:rules")
    context = {
        "form": form,
        "title": _("修改规则：%(title)s") % {"title": current.title},
        "intro": _("修改不会改写已经开始的周期：原版本在生效日期当天失效，新版本从当天起适用。"),
        "cancel_url": reverse("compliance:rules"),
    }
    return render(request, "core/form.html", context)


@require_perm(CHANGE)
def obligation_toggle(request: HttpRequest, code: str) -> HttpResponse:
    rule, back = _editable(request, code)
    if rule is None:
        return back
    form = ToggleForm(request.POST or None)
    enabling = not rule.active
    if request.method == "POST" and form.is_valid():
        try:
            services.set_rule_active(
                request.user,
                rule.key,
                not rule.active,
                form.cleaned_data["effective_from"],
                form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = _("已启用：%(title)s") if enabling else _("已停用：%(title)s")
            messages.success(request, done % {"title": rule.title})
            return redirect("compliance:rules")
    return render(
        request,
        "core/confirm.html",
        {
            "form": form,
            "title": (_("启用规则：%(title)s") if enabling else _("停用规则：%(title)s")) % {"title": rule.title},
            "question": _("启用后，生效日期及以后开始的周期重新按此规则检查；此前的周期仍按原版本判断。")
            if enabling
            else _("停用后，生效日期及以后开始的周期不再按此规则检查；此前的周期仍按原版本判断。"),
            "confirm_label": _("确认启用") if enabling else _("确认停用"),
            "cancel_url": reverse("compliance:rules"),
        },
    )


def _moved(request: HttpRequest, rule_id: int, name: str) -> HttpResponse:
    """Links saved before the obligations moved into the rule store carry the old row's id: they lead to the same
    obligation's page now (the office's only, as before; not a permanent redirect, since whether it leads anywhere
    depends on who asks)."""
    _office_only(request)
    version = rule_store.moved(f"{obligations.LEGACY_ORIGIN}{rule_id}")
    if version is None:
        raise Http404(_("对象不存在"))
    return redirect(name, code=obligations.code_of(version.key))


@require_perm(CHANGE)
def rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    return _moved(request, rule_id, "compliance:obligation_edit")


@require_perm(CHANGE)
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    return _moved(request, rule_id, "compliance:obligation_toggle")


@require_perm(CHANGE)
def setting_edit(request: HttpRequest, setting_id: int) -> HttpResponse:
    """A new version of one of the checker's settings; the rule store keeps every version."""
    _office_only(request)
    current = RuleVersion.objects.filter(pk=setting_id, key__in=COMPLIANCE_SETTINGS.keys()).first()
    if current is None:
        raise Http404(_("对象不存在"))
    if current.effective_to is not None:
        messages.error(request, _("该版本已被新版本取代，只能修改最新版本"))
        return redirect("compliance:rules")
    form = SettingForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.revise_setting(
                request.user, current.pk, form.data_dict(), data["effective_from"], data.get("reason", "")
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存：第%(version)s版，自 %(date)s 起适用")
                % {"version": new.version, "date": new.effective_from.strftime("%Y-%m-%d")},
            )
            return redirect("compliance:rules")
    title = f"修改设置：{COMPLIANCE_SETTINGS.titles[current.key]}"
    return render(request, "core/form.html", {"form": form, "title": title, "cancel_url": reverse("compliance:rules")})


@require_perm(lapsed.PERM)
def lapsed_list(request: HttpRequest) -> HttpResponse:
    """应按除名处置研究: 6 months without organisational life or dues (党章 第九条; 教育条例 第31条), in scope."""
    today = timezone.localdate()
    rows = lapsed.lapsed(request.user, today)
    citation, months = lapsed.citations(today)
    return render(
        request,
        "compliance/lapsed.html",
        {
            "page": paginate(request, rows, PAGE_SIZE),
            "citation": citation,
            "months": months,
        },
    )

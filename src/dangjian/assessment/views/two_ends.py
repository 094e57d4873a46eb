"""抓两头促中间 (issue 14 §3): the office's page over a signed cycle — the top units as candidates for 先进党支部 /
标杆党支部, the bottom ones flagged 后进 (约谈, 三张清单, 软弱涣散 整顿), and the cycle's 星级党支部 ratings — and its
actions, each a POST confirmed in the browser or a page of its own. Office only (``access.office_only``).

A constant number of queries whatever the number of units: the results (``results.results``), then one query each
for the titles, the 约谈, the 整顿 periods, this year's and the rule store.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.forms import apply_errors
from dangjian.core.paging import paginate
from dangjian.orgs.models import Rectifying

from .. import ends, results
from .. import two_ends as svc
from ..models import CycleUnit, Interview, StarRating, Title, TitleKind
from ..rule_data import BOTTOM_BELOW, BOTTOM_PERCENT, TOP_COUNT, TOP_PERCENT
from .access import office_only
from .cycles import cycle_or_404

PAGE = 50
BOTTOM_SHOWN = 100


class EndsForm(forms.Form):
    top_by = forms.ChoiceField(
        label=gettext_lazy("先进候选"),
        choices=[("count", gettext_lazy("按名次")), ("share", gettext_lazy("按比例"))],
        required=False,
    )
    top_count = forms.IntegerField(label=gettext_lazy("前几名"), min_value=0, max_value=1000, required=False)
    top_percent = forms.DecimalField(label=gettext_lazy("前百分之几"), min_value=0, max_value=100, required=False)
    bottom_by = forms.ChoiceField(
        label=gettext_lazy("后进单位"),
        choices=[("below", gettext_lazy("按分数线")), ("share", gettext_lazy("按比例"))],
        required=False,
    )
    bottom_below = forms.DecimalField(label=gettext_lazy("总分低于"), min_value=0, max_value=1000, required=False)
    bottom_percent = forms.DecimalField(label=gettext_lazy("最后百分之几"), min_value=0, max_value=100, required=False)


class InterviewForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    attendees = forms.CharField(
        label=gettext_lazy("参加人员"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("党委约谈人和被约谈单位的书记、委员等"),
    )
    notes = forms.CharField(label=gettext_lazy("约谈内容"), widget=forms.Textarea(attrs={"rows": 5}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


def _choices(request: HttpRequest) -> tuple[EndsForm, dict[str, Any]]:
    """The office's choice on the page, the rule store's defaults for what it leaves empty."""
    d = svc.defaults(timezone.localdate())
    initial = {
        "top_by": "count",
        "top_count": int(d[TOP_COUNT]),
        "top_percent": d[TOP_PERCENT],
        "bottom_by": "below",
        "bottom_below": d[BOTTOM_BELOW],
        "bottom_percent": d[BOTTOM_PERCENT],
    }
    form = EndsForm(request.GET or None, initial=initial)
    chosen = dict(initial)
    if form.is_bound and form.is_valid():
        chosen.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    return form, chosen


def _split(rows: list[results.Row], chosen: dict[str, Any]) -> tuple[list[results.Row], list[results.Row]]:
    ranked = [ends.Ranked(r.organization.pk, r.result.total, r.result.veto) for r in rows]
    if chosen["top_by"] == "share":
        top = ends.top(ranked, share=Decimal(chosen["top_percent"]) / 100)
    else:
        top = ends.top(ranked, count=int(chosen["top_count"]))
    if chosen["bottom_by"] == "share":
        bottom = ends.bottom(ranked, share=Decimal(chosen["bottom_percent"]) / 100)
    else:
        bottom = ends.bottom(ranked, below=Decimal(chosen["bottom_below"]))
    by_pk = {r.organization.pk: r for r in rows}
    return [by_pk[r.unit] for r in top], [by_pk[r.unit] for r in bottom]


@office_only
def two_ends(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    context: dict[str, Any] = {"cycle": cycle, "signed": svc.is_signed(cycle)}
    if not context["signed"]:
        return render(request, "assessment/two_ends.html", context)
    form, chosen = _choices(request)
    out = results.results(cycle, compare=False)
    top, bottom = _split(out.rows, chosen)
    page = paginate(request, out.rows, PAGE)
    # at a group's scale the bottom share is hundreds of units: the last ones are listed (the ranking lists all)
    shown_bottom = bottom[:BOTTOM_SHOWN]  # weakest first
    shown = [*top, *shown_bottom, *page.object_list]
    unit_ids = list({r.organization.pk for r in shown})
    titles: dict[int, list[Title]] = defaultdict(list)
    for t in Title.objects.filter(organization_id__in=unit_ids, year=cycle.year, withdrawn_at__isnull=True):
        titles[t.organization_id].append(t)
    interviews: dict[int, list[Interview]] = defaultdict(list)
    for i in Interview.objects.filter(cycle=cycle, organization_id__in=unit_ids).order_by("-held_on", "-pk"):
        interviews[i.organization_id].append(i)
    rectifying = set(
        Rectifying.objects.open().filter(organization_id__in=unit_ids).values_list("organization_id", flat=True)
    )
    ratings = {
        s.organization_id: s
        for s in StarRating.objects.filter(organization_id__in=unit_ids, year=cycle.year, current=True)
    }

    def view(row: results.Row) -> SimpleNamespace:
        """A row as the page shows it (the kept results' rows are shared and never changed)."""
        pk = row.organization.pk
        return SimpleNamespace(
            organization=row.organization,
            result=row.result,
            titles=titles.get(pk, []),
            interviews=interviews.get(pk, []),
            rectifying=pk in rectifying,
            rating=ratings.get(pk),
        )

    page.object_list = [view(r) for r in page.object_list]
    all_ratings = StarRating.objects.filter(
        organization_id__in=CycleUnit.objects.filter(cycle=cycle).values("organization_id"),
        year=cycle.year,
        current=True,
    )
    counts = Counter({row["stars"]: row["n"] for row in all_ratings.values("stars").annotate(n=Count("pk"))})
    context.update(
        form=form,
        top=[view(r) for r in top],
        bottom=[view(r) for r in shown_bottom],
        bottom_count=len(bottom),
        bottom_shown=len(shown_bottom),
        kinds=TitleKind.choices,
        rated=bool(counts),
        star_counts=[(s, counts.get(s, 0)) for s in (5, 4, 3, 2, 1)],
        # as ``rate`` reads them: (stars, minimum, quota in percent or None)
        levels=[
            (lv.stars, lv.minimum, None if lv.quota is None else f"{(lv.quota * 100).normalize():f}")
            for lv in svc.levels(date(cycle.year, 12, 31))
        ],
        page=page,
        here=request.get_full_path(),
    )
    return render(request, "assessment/two_ends.html", context)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(reverse("assessment:two_ends", args=[pk]))


@require_POST
@office_only
def title_grant(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    try:
        unit = int(request.POST.get("unit", ""))
    except ValueError:
        messages.error(request, _("请选择单位"))
        return _back(request, cycle.pk)
    try:
        title = svc.grant(request.user, cycle.pk, unit, request.POST.get("kind", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("已授予%(org)s%(year)s年度%(kind)s称号")
            % {"org": title.organization.name, "year": title.year, "kind": title.get_kind_display()},
        )
    return _back(request, cycle.pk)


@office_only
def title_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The page is the confirmation: the title, the reason, the button."""
    title = Title.objects.select_related("organization", "cycle").filter(pk=pk).first()
    if title is None:
        raise Http404(_("对象不存在"))
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.withdraw(request.user, title.pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("称号已撤销，记录保留备查"))
            return _back(request, title.cycle_id)
    return render(request, "assessment/title_withdraw.html", {"title": title, "form": form})


@office_only
def interview_add(request: HttpRequest, pk: int, unit: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    member = CycleUnit.objects.filter(cycle=cycle, organization_id=unit).select_related("organization").first()
    if member is None:
        raise Http404(_("对象不存在"))
    form = InterviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.record_interview(
                request.user, cycle.pk, unit, svc.InterviewData(d["held_on"], d["attendees"], d["notes"])
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("约谈已记录"))
            return _back(request, cycle.pk)
    past = Interview.objects.filter(cycle=cycle, organization_id=unit).select_related("recorded_by")
    context = {"cycle": cycle, "org": member.organization, "form": form, "past": past, "signed": svc.is_signed(cycle)}
    return render(request, "assessment/interview_form.html", context)


@require_POST
@office_only
def star_rate(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    try:
        made = svc.rate(request.user, cycle.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已评定%(n)d个单位的星级") % {"n": len(made)})
    return _back(request, cycle.pk)

"""The follow-up queue: a year's screening results in the health officer's scope, highest CVD risk first.

HEALTH_MODELS.md: models' scores are on different scales and are never added together. The queue is ordered by
the China-PAR 10-year risk (unrounded, people who could not be scored last), then by the gastric score, then by
name; the cancer models are shown beside as separate flags. Each row carries its follow-up (assigned officer,
status, dates) through one LEFT JOIN, so a page costs the same number of queries whatever the data size.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.db.models import Exists, F, FilteredRelation, Max, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dangjian.core.paging import filter_params
from dangjian.people.models import Person

from . import services
from .fields import BY_NAME
from .followups import FIRST_CONTACT_DAYS
from .forms import trim_org_choices
from .models import Category, Checkup, FollowUpStatus, ScreeningResult
from .models.screening import CVD_ORDER
from .scores._inputs import LABELS

VALUES = services.VALUES

MODEL_LABELS = {
    "cvd": _("心血管病风险"),
    "gastric": _("胃癌评分"),
    "apcs": _("APCS评分"),
    "crc_questionnaire": _("结直肠癌问卷"),
}


class QueueFilterForm(forms.Form):
    NEED = (("need", _("需随访")), ("all", _("全部")))
    CVD = (("", _("全部")),) + tuple(Category.choices) + (("none", _("无法计算")),)
    FLAG = (
        ("", _("全部")),
        ("gastric", _("胃癌中高危")),
        ("apcs", _("APCS高风险")),
        ("colonoscopy", _("建议肠镜")),
        ("any", _("任一癌症提示")),
    )
    ASSIGNED = (("", _("全部")), ("unassigned", _("未指派")), ("mine", _("我负责的")))
    STATUS = (
        ("", _("全部")),
        ("none", _("未开始")),
        ("open", _("随访中")),
        ("overdue", _("已超期")),
        ("closed", _("已结束")),
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    need = forms.ChoiceField(label=_("范围"), choices=NEED, required=False)
    cvd = forms.ChoiceField(label=_("心血管病风险"), choices=CVD, required=False)
    flag = forms.ChoiceField(label=_("癌症提示"), choices=FLAG, required=False)
    assigned = forms.ChoiceField(label=_("指派"), choices=ASSIGNED, required=False)
    status = forms.ChoiceField(label=_("随访状态"), choices=STATUS, required=False)
    org = forms.ModelChoiceField(label=_("党组织"), queryset=None, required=False, empty_label=_("全部"))
    department = forms.ModelChoiceField(label=_("部门"), queryset=None, required=False, empty_label=_("全部"))
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)

    def __init__(self, *args, orgs, departments, **kwargs):
        super().__init__(*args, **kwargs)
        trim_org_choices(self.fields["org"], orgs)
        self.fields["department"].queryset = departments


@dataclass
class Queue:
    rows: QuerySet
    form: QueueFilterForm
    year: int
    params: dict[str, str]
    counted: QuerySet  # the same rows for counting, without joins the filters don't need


def latest_year(user, today: date) -> int:
    """The latest year with results in the user's scope; the current year when there are none."""
    year = ScreeningResult.objects.visible_to(user, VALUES).aggregate(y=Max("year"))["y"]
    return year or today.year


def overdue_q(today: date, prefix: str = "") -> Q:
    """An open follow-up whose next check is past, or with no contact yet 14 days after assignment."""
    p = prefix
    return Q(**{f"{p}status": FollowUpStatus.OPEN}) & (
        Q(**{f"{p}next_check_on__lt": today})
        | Q(
            **{
                f"{p}last_contact_on__isnull": True,
                f"{p}assigned_on__lt": today - timedelta(days=FIRST_CONTACT_DAYS),
            }
        )
    )


def with_follow_up(results: QuerySet) -> QuerySet:
    """Each result with its year's follow-up joined (at most one: unique person + year)."""
    fu = "person__health_follow_ups"
    return results.annotate(
        fu=FilteredRelation(fu, condition=Q(person__health_follow_ups__year=F("year"))),
        fu_id=F("fu__id"),
        fu_status=F("fu__status"),
        fu_assigned_to=F("fu__assigned_to_id"),
        fu_officer=Coalesce(F("fu__assigned_to__person__name"), F("fu__assigned_to__username"), Value("")),
        fu_assigned_on=F("fu__assigned_on"),
        fu_last_contact_on=F("fu__last_contact_on"),
        fu_next_check_on=F("fu__next_check_on"),
    )


FLAGS = {
    "gastric": Q(gastric_category__in=(Category.MEDIUM, Category.HIGH)),
    "apcs": Q(apcs_category="high"),
    "colonoscopy": Q(colonoscopy_referral=True),
}
FLAGS["any"] = FLAGS["gastric"] | FLAGS["apcs"] | FLAGS["colonoscopy"]


def build(user, data, today: date) -> Queue:
    orgs, departments = services.units_in_scope(user)
    form = QueueFilterForm(data or None, orgs=orgs, departments=departments)
    d = form.cleaned_data if form.is_valid() else {}
    year = d.get("year") or latest_year(user, today)
    qs = ScreeningResult.objects.visible_to(user, VALUES).filter(year=year)
    if d.get("need", "need") != "all":
        qs = qs.filter(follow_up_needed=True)
    if d.get("cvd") == "none":
        qs = qs.filter(cvd_percent__isnull=True)
    elif d.get("cvd"):
        qs = qs.filter(cvd_category=d["cvd"])
    if d.get("flag") in FLAGS:
        qs = qs.filter(FLAGS[d["flag"]])
    if d.get("q"):
        qs = qs.filter(person__name__contains=d["q"].strip())
    if d.get("org") or d.get("department"):
        people = services.in_unit(Person.objects.all(), organization=d.get("org"), department=d.get("department"))
        qs = qs.filter(person__in=people)
    counted = qs  # without the follow-up join unless a filter needs it: the page count stays one cheap query
    qs = with_follow_up(qs)
    fu_filters = Q()
    if d.get("assigned") == "unassigned":
        fu_filters &= Q(fu_assigned_to__isnull=True)
    elif d.get("assigned") == "mine":
        fu_filters &= Q(fu_assigned_to=user.pk)
    status = d.get("status")
    if status == "none":
        fu_filters &= Q(fu_id__isnull=True)
    elif status == "open":
        fu_filters &= Q(fu_status=FollowUpStatus.OPEN)
    elif status == "overdue":
        fu_filters &= overdue_q(today, "fu__")
    elif status == "closed":
        fu_filters &= Q(fu_status=FollowUpStatus.CLOSED)
    if fu_filters:
        qs = counted = qs.filter(fu_filters)
    qs = qs.select_related("person__department").order_by(
        CVD_ORDER.desc(), F("gastric_points").desc(nulls_last=True), "person__sort_key", "person__name", "pk"
    )
    return Queue(qs, form, year, filter_params(data), counted)


def missing_summary(missing: dict) -> list[str]:
    """A line for each model that could not be scored, e.g. "胃癌评分：未满40岁，不适用"."""
    out = []
    for model, names in (missing or {}).items():
        if names == ["age"] and model == "gastric":
            reason = _("未满40岁，不适用")
        elif names == ["age"] and model == "cvd":
            reason = _("年龄超出20–85岁计算范围")
        else:
            shown = "、".join(str(BY_NAME[n].label) if n in BY_NAME else LABELS.get(n, n) for n in names)
            reason = _("缺少%(fields)s") % {"fields": shown}
        out.append(_("%(model)s：%(reason)s") % {"model": MODEL_LABELS.get(model, model), "reason": reason})
    return out


# The checkup was re-imported after the run that scored it started: the stored scores may no longer match it.
# The same rule in SQL (STALE, for the queue and its export) and on loaded rows (is_stale, for one person's page).
STALE = Exists(
    Checkup.objects.filter(person=OuterRef("person"), year=OuterRef("year"), updated_at__gt=OuterRef("run__started_at"))
)


def is_stale(result: ScreeningResult | None, checkup: Checkup | None) -> bool:
    return bool(result and checkup and checkup.updated_at > result.run.started_at)


def stale_ids(rows) -> set[int]:
    """Which of a page's results are stale: one query for the page, whatever its size."""
    ids = [r.pk for r in rows]
    if not ids:
        return set()
    return set(ScreeningResult.objects.filter(pk__in=ids).filter(STALE).values_list("pk", flat=True))


def is_overdue(row, today: date) -> bool:
    if row.fu_status != FollowUpStatus.OPEN:
        return False
    if row.fu_next_check_on and row.fu_next_check_on < today:
        return True
    first_due = row.fu_assigned_on and row.fu_assigned_on + timedelta(days=FIRST_CONTACT_DAYS)
    return bool(row.fu_last_contact_on is None and first_due and first_due < today)

"""The member list's filters, shared by the page, the export and the API."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django.db.models import Q
from django.utils import timezone

from dangjian.orgs.models import Department, Organization

from .models import Employment, Membership, MembershipStatus, Person
from .models.membership import on_rolls_q

_NUMBER = re.compile(r"[0-9Xx-]+")  # what an ID number or a phone (landlines with a dash) is made of
MAX_ID = 2**63 - 1  # a larger number cannot be a row id: refuse it before the database does
AGE_BANDS = [
    ("lt30", "30岁以下"),
    ("30s", "30–39岁"),
    ("40s", "40–49岁"),
    ("50s", "50–59岁"),
    ("60p", "60岁及以上"),
]
_AGE_LIMITS = {"lt30": (None, 30), "30s": (30, 40), "40s": (40, 50), "50s": (50, 60), "60p": (60, None)}
STATUS_CHOICES = [
    ("member", "正式党员"),
    ("probationary", "预备党员"),
    ("party", "全部党员"),
    ("non_member", "非党员"),
]
SORTS = {
    "name": ("sort_key", "name", "id"),
    "-name": ("-sort_key", "-name", "-id"),
    "age": ("-birth_date", "id"),
    "-age": ("birth_date", "id"),
    "hire": ("hire_date", "id"),
    "-hire": ("-hire_date", "id"),
    "department": ("department__path", "sort_key", "name", "id"),
}
SORT_CHOICES = [
    ("name", "姓名"),
    ("-name", "姓名（倒序）"),
    ("age", "年龄从小到大"),
    ("-age", "年龄从大到小"),
    ("hire", "入职日期"),
    ("-hire", "入职日期（倒序）"),
    ("department", "部门"),
]


def birth_range_for(band: str, today: date) -> Q:
    low, high = _AGE_LIMITS[band]
    q = Q()
    if low is not None:  # at least `low` years old: born on or before today minus low years
        q &= Q(birth_date__lte=_years_before(today, low))
    if high is not None:  # younger than `high`: born after today minus high years
        q &= Q(birth_date__gt=_years_before(today, high))
    return q


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _employee_no_q(value: str) -> Q:
    """The whole 工号, as typed or in capitals: equality, so the unique index answers it at any size."""
    return Q(employee_no__in={value, value.upper()})


class PersonFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="搜索")
    org = django_filters.NumberFilter(method="filter_org", label="党组织（含下级）", min_value=1, max_value=MAX_ID)
    status = django_filters.ChoiceFilter(choices=STATUS_CHOICES, method="filter_status", label="党员类别")
    department = django_filters.NumberFilter(
        method="filter_department", label="部门（含下级）", min_value=1, max_value=MAX_ID
    )
    employment = django_filters.ChoiceFilter(choices=Employment.choices, label="用工类型")
    age = django_filters.ChoiceFilter(choices=AGE_BANDS, method="filter_age", label="年龄段")
    sort = django_filters.ChoiceFilter(choices=SORT_CHOICES, method="filter_sort", label="排序")

    class Meta:
        model = Person
        fields = ["employment"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        if _NUMBER.fullmatch(value) and any(c.isdigit() for c in value):
            return self._by_number(qs, value)
        # 工号 is no sensitive number (it is printed on badges): matched whole, beside the name
        return qs.filter(Q(name__contains=value) | _employee_no_q(value))

    def _by_number(self, qs, value: str):
        """By ID number or phone: the complete value for anyone, the beginning of it only where the user may see
        the full numbers — otherwise a prefix search reveals a masked number one digit at a time (PIPL art. 51)."""
        from dangjian.accounts.scope import Scope, scope_for

        from .services import note_number_search

        number = value.upper()
        found = Q(id_number=number) | Q(phone=value) | _employee_no_q(value)
        partial = Q(id_number__startswith=number) | Q(phone__startswith=value)
        sensitive = scope_for(self.user, "people.view_sensitive") if self.user else Scope()
        if sensitive.everything:
            found |= partial
        elif sensitive.has_orgs or sensitive.person_ids:
            seen = Person.objects.visible_to(self.user, "people.view_sensitive").values("pk")
            found |= partial & Q(pk__in=seen)
        complete_only = not (sensitive.everything or sensitive.has_orgs or sensitive.person_ids)
        note_number_search(self.user, value, complete_only=complete_only)
        return qs.filter(found)

    def filter_org(self, qs, name, value):
        org = Organization.objects.visible_to(self.user).filter(pk=value).first() if self.user else None
        if org is None:
            return qs.none()
        # A semi-join on the members of the subtree's branches (index range on the path), not a per-row EXISTS.
        inside = Membership.objects.current().filter(organization__in=Organization.objects.subtree(org))
        return qs.filter(pk__in=inside.values("person_id"))

    def filter_status(self, qs, name, value):
        # the members the home page counts (``home.headcount``): on a branch's rolls today, by membership status
        if value == "party":
            return qs.filter(on_rolls_q())
        if value == "non_member":
            return qs.exclude(on_rolls_q())
        return qs.filter(on_rolls_q({"member": MembershipStatus.FULL}.get(value, value)))

    def filter_department(self, qs, name, value):
        dept = Department.objects.filter(pk=value).first()
        if dept is None:
            return qs.none()
        return qs.filter(department__in=Department.objects.subtree(dept))

    def filter_age(self, qs, name, value):
        return qs.filter(birth_range_for(value, timezone.localdate()))

    def filter_sort(self, qs, name, value):
        return qs.order_by(*SORTS[value])

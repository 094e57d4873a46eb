"""The report's tables computed in SQL: each cell is a filter on the table's rows, counted for every cell in one
query and listed by the same filter when a user opens the cell, so a figure and the names behind it never differ.

Tables of the Central Organisation Department's yearly in-party statistics (党内统计年报) that apply to an
enterprise or institute committee; bands and periods as the 中国共产党党内统计公报 publishes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from dangjian.appraisal.models import Participant
from dangjian.development.models import Development, ProbationExtension, StepRecord
from dangjian.orgs.models import CommitteeTerm, Organization
from dangjian.orgs.models.organization import OrgKind, active_q
from dangjian.people.models import Honour, Membership, Person
from dangjian.people.models.honour import HonourKind, HonourLevel
from dangjian.people.models.membership import EndCause, StartCause
from dangjian.people.models.person import Education, Occupation, Sex

from .scope import Period, Subtree, active_on, full_on, in_year

PERSONS, ORGANIZATIONS = "persons", "organizations"


@dataclass(frozen=True)
class Line:
    """A row or a column of a table: its key (in URLs), label (the report's words) and filter."""

    key: str
    label: object
    q: Q = Q()
    group: object = ""  # the heading a row sits under (性别, 年龄…); a column has none
    # a column that does not apply to this row is left empty (e.g. 年底人数 of 发展党员)
    skip: tuple[str, ...] = ()
    # cells whose filter is not the row's and the column's together (本年新增 of a stage: entered it this year)
    own: tuple[tuple[str, Q], ...] = ()

    def cell_q(self, col: Line) -> Q:
        return dict(self.own).get(col.key, self.q & col.q)


@dataclass(frozen=True)
class Spec:
    code: str
    title: object
    base: Callable[[Subtree, Period], QuerySet]
    rows: Callable[[Subtree, Period], list[Line]]
    columns: Callable[[Subtree, Period], list[Line]]
    # the path from the base's rows to the person counted (distinct), "" when a base row is one person or organisation
    person: str = ""
    subject: str = PERSONS
    note: object = ""
    # False where a base row is one person already (counted without DISTINCT)
    distinct: bool = True
    # the rows a cell lists, when cheaper than ``base`` and the same persons (T2: every row on the rolls, not
    # only each person's latest, which matters only for two overlapping rows of one person)
    listed: Callable[[Subtree, Period], QuerySet] | None = None
    # the base annotates subqueries: count over it as a derived table, so that each is computed once per row
    # rather than once in every cell's FILTER
    annotated: bool = False

    def counts(self, scope: Subtree, period: Period) -> dict[tuple[str, str], int | None]:
        rows, columns = self.rows(scope, period), self.columns(scope, period)
        measure = "pk" if not self.distinct else self.person or "pk"
        aggregates = {
            f"c{i}_{j}": Count(measure, distinct=self.distinct and bool(self.person), filter=row.cell_q(col))
            for i, row in enumerate(rows)
            for j, col in enumerate(columns)
            if col.key not in row.skip
        }
        base = self.base(scope, period)
        values = (base.distinct() if self.annotated else base).aggregate(**aggregates)
        return {
            (row.key, col.key): values.get(f"c{i}_{j}") for i, row in enumerate(rows) for j, col in enumerate(columns)
        }

    def matching(self, scope: Subtree, period: Period, row_key: str, col_key: str) -> QuerySet | None:
        """The base's rows behind one cell; None for a cell the table does not have."""
        row = next((r for r in self.rows(scope, period) if r.key == row_key), None)
        col = next((c for c in self.columns(scope, period) if c.key == col_key), None)
        if row is None or col is None or col.key in row.skip:
            return None
        return (self.listed or self.base)(scope, period).filter(row.cell_q(col))

    def counted(self, scope: Subtree, period: Period, row_key: str, col_key: str) -> QuerySet | None:
        """The cell's persons counted straight from the base's rows (cheaper than counting the persons listed)."""
        matching = self.matching(scope, period, row_key, col_key)
        if matching is None or self.subject == ORGANIZATIONS:
            return None
        return matching.values(self.person or "pk").distinct()

    def cell(self, scope: Subtree, period: Period, row_key: str, col_key: str) -> QuerySet | None:
        """The persons (or organisations) behind one cell, unordered; None for a cell the table does not have."""
        matching = self.matching(scope, period, row_key, col_key)
        if matching is None:
            return None
        if self.subject == ORGANIZATIONS:
            return Organization.objects.filter(pk__in=matching.values("pk"))
        return Person.objects.filter(pk__in=matching.values(self.person or "pk"))


ONE = [Line("n", _("人数"))]


def _member_rows(scope: Subtree, period: Period) -> QuerySet:
    """One membership per person on the rolls of the subtree on 31 December (the latest, should two overlap), so
    that a cell counts rows without DISTINCT and reads the person's fields through one join."""
    rows = Membership.objects.filter(scope.q(), active_on(period.end), person__deleted_at__isnull=True)
    latest = rows.values("person_id").annotate(last=Max("pk")).values("last")
    return Membership.objects.filter(pk__in=latest)


def _status_columns(scope: Subtree, period: Period) -> list[Line]:
    full = full_on(period.end)
    return [Line("total", _("合计")), Line("full", _("正式党员"), full), Line("prob", _("预备党员"), ~full)]


HAN = ("汉族", "汉")


def _age_bands(period: Period, bands: list[tuple[int | None, int | None]], prefix: str) -> list[Line]:
    """Age on 31 December of the year is the year minus the birth year: a band is a range of birth years."""
    lines = []
    for low, high in bands:
        q = Q()
        if low is not None:
            q &= Q(**{f"{prefix}birth_date__lte": date(period.year - low, 12, 31)})
        if high is not None:
            q &= Q(**{f"{prefix}birth_date__gte": date(period.year - high, 1, 1)})
        if low is None:
            label = _("%(n)s岁及以下") % {"n": high}
        elif high is None:
            label = _("%(n)s岁及以上") % {"n": low}
        else:
            label = _("%(a)s至%(b)s岁") % {"a": low, "b": high}
        lines.append(Line(f"age{low or 0}", label, q, _("年龄")))
    return lines


# 中国共产党党内统计公报: 30岁及以下, 31至35岁 … 61岁及以上 (members); 35岁及以下 … for the year's new members
MEMBER_AGES = [(None, 30), (31, 35), (36, 40), (41, 45), (46, 50), (51, 55), (56, 60), (61, None)]
NEW_MEMBER_AGES = [(None, 35), (36, 45), (46, 55), (56, None)]

# 入党时间 (中国共产党党内统计公报 by period of admission): the party's history periods
ADMISSION_PERIODS = [
    ("p1", _("1949年10月以前"), None, date(1949, 9, 30)),
    ("p2", _("1949年10月至1966年4月"), date(1949, 10, 1), date(1966, 4, 30)),
    ("p3", _("1966年5月至1976年10月"), date(1966, 5, 1), date(1976, 10, 31)),
    ("p4", _("1976年11月至1978年12月"), date(1976, 11, 1), date(1978, 12, 31)),
    ("p5", _("1979年1月至2002年10月"), date(1979, 1, 1), date(2002, 10, 31)),
    ("p6", _("2002年11月至2012年10月"), date(2002, 11, 1), date(2012, 10, 31)),
    ("p7", _("2012年11月以来（党的十八大以来）"), date(2012, 11, 1), None),
]


def _person_dimensions(period: Period, prefix: str, ages) -> list[Line]:
    sex = _("性别")
    nation = _("民族")
    edu = _("学历")
    job = _("职业")
    lines = [
        Line("male", _("男"), Q(**{f"{prefix}sex": Sex.MALE}), sex),
        Line("female", _("女"), Q(**{f"{prefix}sex": Sex.FEMALE}), sex),
        Line("han", _("汉族"), Q(**{f"{prefix}ethnicity__in": HAN}), nation),
        Line("minority", _("少数民族"), ~Q(**{f"{prefix}ethnicity__in": (*HAN, "")}), nation),
        *_age_bands(period, ages, prefix),
        Line(
            "edu_college_up",
            _("大专及以上"),
            Q(**{f"{prefix}education__in": ("doctorate", "master", "bachelor", "college")}),
            edu,
        ),
    ]
    lines += [
        Line(
            f"edu_{e.value}",
            _("其他学历") if e == Education.OTHER else e.label,
            Q(**{f"{prefix}education": e.value}),
            edu,
        )
        for e in Education
    ]
    lines.append(Line("edu_none", _("学历未填"), Q(**{f"{prefix}education": ""}), edu))
    lines += [Line(f"job_{o.value}", o.label, Q(**{f"{prefix}occupation": o.value}), job) for o in Occupation]
    lines.append(Line("job_none", _("职业未填"), Q(**{f"{prefix}occupation": ""}), job))
    return lines


def _t2_rows(scope: Subtree, period: Period) -> list[Line]:
    """The report's order: 性别, 民族, 年龄, 学历, 入党时间, 职业."""
    dims = _person_dimensions(period, "person__", MEMBER_AGES)
    jobs = [d for d in dims if d.key.startswith("job_")]
    lines = [Line("total", _("党员总数")), *[d for d in dims if not d.key.startswith("job_")]]
    when = _("入党时间")
    for key, label, start, end in ADMISSION_PERIODS:
        q = Q()
        if start:
            q &= Q(admitted_on__gte=start)
        if end:
            q &= Q(admitted_on__lte=end)
        lines.append(Line(f"adm_{key}", label, q & Q(admitted_on__isnull=False), when))
    lines.append(Line("adm_none", _("入党时间未填"), Q(admitted_on__isnull=True), when))
    return lines + jobs


# --- T3 党员教育培训情况 -------------------------------------------------------------------------------------


def min_training_hours(on: date) -> Decimal:
    """党员每年集中学习培训时间一般不少于32学时 (the talks app's rule, from the rule store)."""
    from dangjian.core.ruletable import NoRuleInForce
    from dangjian.rules import services as rule_store
    from dangjian.talks.rule_data import TALKS_RULES

    try:
        return Decimal(rule_store.table(TALKS_RULES).value("training.min_hours_per_year", on))
    except NoRuleInForce:
        return Decimal(32)


# --- T4 民主评议党员情况 -------------------------------------------------------------------------------------


def _t4_base(scope: Subtree, period: Period) -> QuerySet:
    return Participant.objects.filter(
        scope.q("appraisal__organization__path"), appraisal__year=period.year, person__deleted_at__isnull=True
    )


def _t4_rows(scope: Subtree, period: Period) -> list[Line]:
    from dangjian.appraisal.rule_data import GRADES

    return [
        Line("total", _("参加评议的党员")),
        *[Line(code, _("评定为%(grade)s") % {"grade": label}, Q(final_grade=code)) for code, label in GRADES],
        Line("ungraded", _("未评定等次"), Q(final_grade="")),
    ]


def _t4_columns(scope: Subtree, period: Period) -> list[Line]:
    return [Line("total", _("合计")), Line("confirmed", _("其中：党员大会已确认"), Q(appraisal__status="confirmed"))]


# --- T5 党员出党情况 ----------------------------------------------------------------------------------------

EXITS = [EndCause.EXPELLED, EndCause.REMOVED, EndCause.LEFT, EndCause.CANCELLED]


def _t5_base(scope: Subtree, period: Period) -> QuerySet:
    return Membership.objects.filter(
        scope.q(), in_year("ended_on", period), end_cause__in=EXITS, person__deleted_at__isnull=True
    )


def _t5_rows(scope: Subtree, period: Period) -> list[Line]:
    return [Line("total", _("出党党员")), *[Line(c.value, c.label, Q(end_cause=c.value)) for c in EXITS]]


def _exit_columns(scope: Subtree, period: Period) -> list[Line]:
    return [
        Line("total", _("合计")),
        Line("full", _("正式党员"), Q(status="full")),
        Line("prob", _("预备党员"), Q(status="probationary")),
    ]


# --- T6 党内表彰 ------------------------------------------------------------------------------------------


def _t6_base(scope: Subtree, period: Period) -> QuerySet:
    """Party honours of the year to persons on the subtree's rolls on the day of the award."""
    there = Membership.objects.filter(
        scope.q(), person_id=OuterRef("person_id"), started_on__lte=OuterRef("awarded_on")
    )
    there = there.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=OuterRef("awarded_on")))
    return Honour.objects.filter(
        in_year("awarded_on", period), kind=HonourKind.PARTY, person__deleted_at__isnull=True
    ).filter(Exists(there))


def _t6_rows(scope: Subtree, period: Period) -> list[Line]:
    return [
        Line("total", _("受党内表彰的党员")),
        *[Line(level.value, level.label, Q(level=level.value), _("表彰级别")) for level in HonourLevel],
    ]


# --- T7 预备党员转正情况 ------------------------------------------------------------------------------------


def _t7_base(scope: Subtree, period: Period) -> QuerySet:
    return Membership.objects.filter(scope.q(), person__deleted_at__isnull=True)


def _t7_rows(scope: Subtree, period: Period) -> list[Line]:
    # the row on the rolls on the day of conversion (a later move copies the date onto the next row)
    converted = in_year("converted_on", period) & Q(started_on__lte=F("converted_on"))
    converted &= Q(ended_on__isnull=True) | Q(ended_on__gt=F("converted_on"))
    extended_ever = Exists(ProbationExtension.objects.filter(development__person_id=OuterRef("person_id")))
    extended = Exists(
        ProbationExtension.objects.filter(
            scope.q("development__branch__path"),
            development__person_id=OuterRef("person_id"),
            decided_on__gte=period.start,
            decided_on__lte=period.end,
        )
    )
    return [
        Line("converted", _("转为正式党员"), converted),
        Line("on_time", _("其中：按期转正"), converted & ~Q(extended_ever)),
        Line("after_extension", _("其中：延长预备期后转正"), converted & Q(extended_ever)),
        Line("extended", _("延长预备期"), Q(extended)),
        Line("cancelled", _("取消预备党员资格"), in_year("ended_on", period) & Q(end_cause=EndCause.CANCELLED)),
    ]


# --- T8 发展党员情况 (by sex, ethnicity, age, education, occupation) ------------------------------------------


def _t8_base(scope: Subtree, period: Period) -> QuerySet:
    return Membership.objects.filter(
        scope.q(), in_year("started_on", period), start_cause=StartCause.ADMITTED, person__deleted_at__isnull=True
    )


def _t8_rows(scope: Subtree, period: Period) -> list[Line]:
    return [Line("total", _("发展党员")), *_person_dimensions(period, "person__", NEW_MEMBER_AGES)]


# --- T9 入党申请人、入党积极分子、发展对象和发展党员 (by stage) ----------------------------------------------------


def _step_on(code: str) -> Subquery:
    return Subquery(
        StepRecord.objects.filter(development=OuterRef("pk"), code=code).order_by("done_on").values("done_on")[:1]
    )


def _t9_base(scope: Subtree, period: Period) -> QuerySet:
    return Development.objects.filter(scope.q("branch__path"), person__deleted_at__isnull=True).annotate(
        activist_on=_step_on("confirm_activist"),
        candidate_on=_step_on("confirm_candidate"),
        approved_on=_step_on("upper_approval"),
    )


def _t9_rows(scope: Subtree, period: Period) -> list[Line]:
    end = period.end

    def at_end(reached: str, following: str | None) -> Q:
        q = Q(**{f"{reached}__lte": end})
        if following:
            q &= Q(**{f"{following}__isnull": True}) | Q(**{f"{following}__gt": end})
        # a case closed without admission has left the pipeline (its closing day is not recorded)
        return q & (Q(status="open") | Q(approved_on__isnull=False))

    def new(field: str) -> tuple[tuple[str, Q], ...]:
        return (("new", in_year(field, period)),)

    return [
        Line("applicant", _("入党申请人"), at_end("started_on", "activist_on"), own=new("started_on")),
        Line("activist", _("入党积极分子"), at_end("activist_on", "candidate_on"), own=new("activist_on")),
        Line("candidate", _("发展对象"), at_end("candidate_on", "approved_on"), own=new("candidate_on")),
        Line("admitted", _("发展党员（接收预备党员）"), skip=("year_end",), own=new("approved_on")),
    ]


def _t9_columns(scope: Subtree, period: Period) -> list[Line]:
    return [Line("year_end", _("年底人数")), Line("new", _("本年新增"))]


# --- T10 党组织和换届选举情况 ---------------------------------------------------------------------------------


def _t10_base(scope: Subtree, period: Period) -> QuerySet:
    terms = CommitteeTerm.objects.filter(organization=OuterRef("pk"), elected_on__lte=period.end)
    return Organization.objects.filter(scope.q("path")).annotate(
        term_ends_on=Subquery(terms.order_by("-elected_on", "-id").values("ends_on")[:1]),
        elected=Exists(terms.filter(elected_on__gte=period.start)),
    )


def _t10_rows(scope: Subtree, period: Period) -> list[Line]:
    kinds = [OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.GROUP]
    return [
        Line("total", _("党组织总数"), ~Q(kind=OrgKind.GROUP)),
        *[Line(k.value, k.label, Q(kind=k.value)) for k in kinds],
    ]


def _t10_columns(scope: Subtree, period: Period) -> list[Line]:
    existing = active_q(period.end) & (Q(founded_on__isnull=True) | Q(founded_on__lte=period.end))
    return [
        Line("year_end", _("年底数"), existing),
        Line("founded", _("本年新建"), in_year("founded_on", period)),
        Line("dissolved", _("本年撤销"), in_year("dissolved_on", period)),
        Line("elected", _("本年换届"), existing & Q(elected=True)),
        Line("overdue", _("届满未换届"), existing & Q(term_ends_on__lt=period.end)),
    ]


# The report's tables after the two years compared (T1, ``flows``) and training (T3, ``training``), in order.
SPECS: list[Spec] = [
    Spec(
        "T2",
        _("党员基本情况（性别、民族、年龄、学历、入党时间、职业）"),
        _member_rows,
        _t2_rows,
        _status_columns,
        person="person_id",
        distinct=False,
        listed=lambda scope, period: Membership.objects.filter(
            scope.q(), active_on(period.end), person__deleted_at__isnull=True
        ),
    ),
    Spec("T4", _("民主评议党员情况"), _t4_base, _t4_rows, _t4_columns, person="person_id"),
    Spec("T5", _("党员出党情况"), _t5_base, _t5_rows, _exit_columns, person="person_id"),
    Spec("T6", _("党内表彰情况"), _t6_base, _t6_rows, lambda scope, period: ONE, person="person_id"),
    Spec("T7", _("预备党员转正情况"), _t7_base, _t7_rows, lambda scope, period: ONE, person="person_id"),
    Spec("T8", _("发展党员情况"), _t8_base, _t8_rows, lambda scope, period: ONE, person="person_id"),
    Spec(
        "T9",
        _("入党申请人、入党积极分子、发展对象和发展党员情况"),
        _t9_base,
        _t9_rows,
        _t9_columns,
        person="person_id",
        note=_("年底人数按年底所处阶段计；已终止的发展程序不计入年底人数。"),
        annotated=True,
    ),
    Spec("T10", _("党组织和换届选举情况"), _t10_base, _t10_rows, _t10_columns, subject=ORGANIZATIONS, annotated=True),
]
SPEC_BY_CODE = {s.code: s for s in SPECS}

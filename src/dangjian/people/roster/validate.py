"""Checking every row of a roster before anything is written.

Two passes. The first reads each row on its own (cells, ID number, names of
branches and departments against a preloaded directory) without touching the
database per row. The second looks at rows together and at what the database
already holds: duplicate ID numbers in the file, existing persons, whether the
user may change them, and whether the political status agrees with the
membership. Every problem of every row is collected, so the user fixes the
file once instead of once per error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.ruletable import NoRuleInForce
from dangjian.orgs.rules import add_years
from dangjian.people.id_taken import DELETED, NOT_REGISTRABLE
from dangjian.people.idcard import IdNumberError, parse_id_number
from dangjian.people.models import Membership, Person
from dangjian.people.models.person import EMPLOYEE_NO_MAX, EMPLOYEE_NO_TAKEN, employee_no_validator
from dangjian.people.rule_data import PEOPLE_RULES

from . import cells as C
from .columns import (
    COLUMN_SPECS,
    EDUCATION_BY_LABEL,
    EMPLOYMENT_BY_LABEL,
    HEADER,
    INDEX,
    MEMBER_STATUSES,
    OCCUPATION_BY_LABEL,
    POLITICAL_BY_LABEL,
    POLITICAL_LABEL,
    SEX_BY_LABEL,
    SEX_LABEL,
)
from .lookups import Directory, Node
from .report import RowError

QUERY_CHUNK = 900  # below SQLite's 999 bound parameters per statement
MEMBERSHIP_DATES = ("applied_on", "admitted_on", "converted_on")
_ORDER = {c.header: i for i, c in enumerate(COLUMN_SPECS)}

# Column positions, resolved once: the row loop runs 100,000 times.
I_NAME, I_EMPLOYEE_NO, I_SEX, I_ID, I_ETHNICITY, I_EDUCATION = (
    INDEX[k] for k in ("name", "employee_no", "sex", "id_number", "ethnicity", "education")
)
I_PHONE, I_DEPT, I_POST, I_TITLE, I_EMPLOYMENT = (
    INDEX[k] for k in ("phone", "department", "post", "title", "employment")
)
I_POLITICAL, I_HIRE, I_BRANCH, I_GROUP = (INDEX[k] for k in ("political_status", "hire_date", "branch", "group"))
I_DATES = tuple(INDEX[k] for k in MEMBERSHIP_DATES)
I_NATIVE, I_WORK, I_OCCUPATION = (INDEX[k] for k in ("native_place", "work_started_on", "occupation"))
MIN_WORK_AGE = 16  # 劳动法 第15条: no employing anyone under 16
H = HEADER
DEFAULT_POLITICAL = Person._meta.get_field("political_status").default


@dataclass(slots=True)
class ParsedRow:
    row: int
    cells: tuple[Any, ...]
    id_number: str = ""
    employee_no: str = ""
    person: dict[str, Any] = field(default_factory=dict)  # attname -> value, only what the file decides
    political: str | None = None  # None: blank in the file
    branch: Node | None = None
    group_id: int | None = None
    dates: dict[str, date | None] = field(default_factory=dict)
    lookup_errors: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)
    ok: bool = True


@dataclass
class Validated:
    rows: list[ParsedRow]
    errors: list[RowError]
    notes: list[str]
    existing: dict[str, Person]  # by ID number
    current: dict[int, Membership]  # current membership by person pk


class Validator:
    def __init__(self, *, directory: Directory, scope=None, user=None, today: date | None = None):
        self.directory = directory
        self.scope = scope
        self.user = user
        self.today = today or timezone.localdate()
        self.errors: list[RowError] = []
        self.notes: list[str] = []

    # -- reporting -------------------------------------------------------------------------------
    def _error(self, parsed: ParsedRow, key: str, message: str) -> None:
        parsed.ok = False
        self.errors.append(RowError(parsed.row, H[key], message, C.text(parsed.cells[INDEX[key]])))

    # -- pass 1: each row on its own ----------------------------------------------------------
    def parse(self, number: int, cells: tuple[Any, ...]) -> ParsedRow:
        row = ParsedRow(number, cells)
        person = row.person

        name = C.text(cells[I_NAME])
        if not name:
            self._error(row, "name", _("姓名不能为空"))
        elif len(name) > 50:
            self._error(row, "name", _("姓名不能超过50个字"))
        person["name"] = name
        self._employee_no(row, cells[I_EMPLOYEE_NO])

        ident = None
        try:
            raw_id = C.id_text(cells[I_ID])
            if not raw_id:
                raise C.CellError(_("公民身份号码不能为空"))
            ident = parse_id_number(raw_id, today=self.today, allow_15=True)
        except (C.CellError, IdNumberError) as exc:
            self._error(row, "id_number", str(exc))
        if ident is not None:
            row.id_number = ident.number
            person.update(id_number=ident.number, birth_date=ident.birth_date, sex=ident.sex)
            if ident.converted_from_15:
                self.notes.append(
                    _("第%(row)d行：15位公民身份号码 %(old)s 已转换为18位 %(new)s")
                    % {"row": number, "old": raw_id, "new": ident.number}
                )

        sex_label = C.text(cells[I_SEX])
        if sex_label:
            sex = SEX_BY_LABEL.get(sex_label)
            if sex is None:
                self._error(row, "sex", _("无法识别的性别，应为：男、女"))
            elif ident is not None and sex != ident.sex:
                self._error(row, "sex", _("性别与公民身份号码不符（号码为%(sex)s）") % {"sex": SEX_LABEL[ident.sex]})

        ethnicity = C.text(cells[I_ETHNICITY])
        if len(ethnicity) > 20:
            self._error(row, "ethnicity", _("民族不能超过20个字"))
        elif ethnicity:
            person["ethnicity"] = ethnicity

        self._choice(row, "education", cells[I_EDUCATION], EDUCATION_BY_LABEL, blank="")
        self._choice(row, "employment", cells[I_EMPLOYMENT], EMPLOYMENT_BY_LABEL, blank=None)
        political_label = C.text(cells[I_POLITICAL])
        if political_label:
            row.political = POLITICAL_BY_LABEL.get(political_label)
            if row.political is None:
                self._error(row, "political_status", _unknown_choice("政治面貌", POLITICAL_BY_LABEL))
            else:
                person["political_status"] = row.political

        try:
            person["phone"] = C.phone(cells[I_PHONE])
        except C.CellError as exc:
            self._error(row, "phone", str(exc))

        dept = C.text(cells[I_DEPT])
        person["department_id"] = None
        if dept:
            try:
                person["department_id"] = self.directory.department(dept)
            except C.CellError as exc:
                self._error(row, "department", str(exc))

        for key, index in (("post", I_POST), ("title", I_TITLE)):
            value = C.text(cells[index])
            if len(value) > 50:
                self._error(row, key, _("%(column)s不能超过50个字") % {"column": H[key]})
            person[key] = value

        birth = ident.birth_date if ident is not None else None
        person["hire_date"] = self._date(row, "hire_date", cells[I_HIRE], birth)
        self._statistics_facts(row, cells, birth)
        dates = row.dates
        for key, index in zip(MEMBERSHIP_DATES, I_DATES, strict=True):
            dates[key] = self._date(row, key, cells[index], birth)
        applied, admitted, converted = dates["applied_on"], dates["admitted_on"], dates["converted_on"]
        if applied and admitted and admitted < applied:
            self._error(row, "admitted_on", _("入党日期早于申请入党日期"))
        if admitted and converted and converted < admitted:
            self._error(row, "converted_on", _("转正日期早于入党日期"))
        elif admitted and converted and converted == admitted:
            # 党章 第七条: a probationary member becomes a full member when the probation ends, never on admission
            self._error(row, "converted_on", _("转正日期应晚于入党日期（预备期满方可转为正式党员）"))
        if converted and not admitted:
            self._error(row, "admitted_on", _("已填写转正日期时须填写入党日期"))
        if birth is not None:
            for key in ("applied_on", "admitted_on"):
                self._of_age(row, key, dates[key], birth)

        # Lookup errors wait for pass 2: for a non-member the branch should be blank, and saying
        # "branch not found" besides "must be blank" would only confuse.
        branch = C.text(cells[I_BRANCH])
        if branch:
            try:
                row.branch = self.directory.branch(branch)
            except C.CellError as exc:
                row.lookup_errors.append(("branch", str(exc)))
        group = C.text(cells[I_GROUP])
        if group and row.branch is not None:
            try:
                row.group_id = self.directory.group(row.branch, group)
            except C.CellError as exc:
                row.lookup_errors.append(("group", str(exc)))
        return row

    def _statistics_facts(self, row: ParsedRow, cells: tuple[Any, ...], birth: date | None) -> None:
        """籍贯, 参加工作时间, 职业: optional columns where a blank keeps what is stored."""
        native = C.text(cells[I_NATIVE])
        if len(native) > 50:
            self._error(row, "native_place", _("籍贯不能超过50个字"))
        elif native:
            row.person["native_place"] = native
        work = self._date(row, "work_started_on", cells[I_WORK], birth)
        if work is not None and birth is not None and birth <= work < add_years(birth, MIN_WORK_AGE):
            self._error(
                row,
                "work_started_on",
                _("参加工作时间 %(date)s 时未满%(age)d周岁") % {"date": f"{work:%Y-%m-%d}", "age": MIN_WORK_AGE},
            )
        elif work is not None:
            row.person["work_started_on"] = work
        self._choice(row, "occupation", cells[I_OCCUPATION], OCCUPATION_BY_LABEL, blank=None)

    def _employee_no(self, row: ParsedRow, value: Any) -> None:
        """Blank keeps what is stored: a file of an older template (without the column) changes no one's 工号."""
        number = C.text(value)
        if not number:
            return
        if len(number) > EMPLOYEE_NO_MAX:
            self._error(row, "employee_no", _("工号不能超过%(n)d位") % {"n": EMPLOYEE_NO_MAX})
        elif not employee_no_validator.regex.match(number):
            self._error(row, "employee_no", str(employee_no_validator.message))
        else:
            row.employee_no = row.person["employee_no"] = number

    def _choice(self, row: ParsedRow, key: str, value: Any, mapping: dict[str, str], *, blank: str | None) -> None:
        label = C.text(value)
        if not label:
            if blank is not None:
                row.person[key] = blank
            return
        code = mapping.get(label)
        if code is None:
            self._error(row, key, _unknown_choice(H[key], mapping))
        else:
            row.person[key] = code

    def _date(self, row: ParsedRow, key: str, value: Any, birth: date | None) -> date | None:
        try:
            parsed = C.to_date(value)
        except C.CellError as exc:
            self._error(row, key, str(exc))
            return None
        if parsed is None:
            return None
        if parsed > self.today:
            self._error(row, key, _("%(column)s %(date)s 晚于今天") % {"column": H[key], "date": f"{parsed:%Y-%m-%d}"})
        elif birth is not None and parsed < birth:
            self._error(
                row,
                key,
                _("%(column)s %(date)s 早于出生日期 %(birth)s")
                % {"column": H[key], "date": f"{parsed:%Y-%m-%d}", "birth": f"{birth:%Y-%m-%d}"},
            )
        return parsed

    def _of_age(self, row: ParsedRow, key: str, day: date | None, birth: date) -> None:
        """党章 第一条: "年满十八岁的……可以申请加入中国共产党" -- the application, and so the admission after
        it, fall on or after the 18th birthday (the birthday itself counts; 29 February counts from 28 February)."""
        if day is None or day < birth or day > self.today:  # those dates are already reported by ``_date``
            return
        try:
            rule = PEOPLE_RULES.rule("member.min_age_years", day)
        except NoRuleInForce:  # before the 1982 charter: not judged, an old record is not refused on a guess
            return
        of_age = add_years(birth, rule.value)
        if day < of_age:
            self._error(
                row,
                key,
                _("%(column)s %(date)s 时未满%(age)s周岁，%(from)s 起方可申请入党（%(citation)s）")
                % {
                    "column": H[key],
                    "date": f"{day:%Y-%m-%d}",
                    "age": rule.value,
                    "from": f"{of_age:%Y-%m-%d}",
                    "citation": rule.citation,
                },
            )

    # -- pass 2: rows together and against the database ---------------------------------------------
    def check_together(self, rows: list[ParsedRow]) -> Validated:
        by_id = self._repeated_in_file(rows, "id_number", "公民身份号码")

        self._check_employee_numbers(rows)
        existing = _existing_persons(by_id.keys())
        visible = _visible_ids(self.user, [p.pk for p in existing.values() if p.deleted_at is None])
        current = _current_memberships([p.pk for p in existing.values()])
        for row in rows:
            self._check_against_database(row, existing, visible, current)
        self.errors.sort(key=lambda e: (e.row, _ORDER.get(e.column, 99)))
        return Validated(rows, self.errors, self.notes, existing, current)

    def _repeated_in_file(self, rows: list[ParsedRow], key: str, label: str) -> dict[str, list[ParsedRow]]:
        """The rows by a value that must be one person's alone; each row of a value given twice is an error that
        names all of them."""
        by_value: dict[str, list[ParsedRow]] = defaultdict(list)
        for row in rows:
            if value := getattr(row, key):
                by_value[value].append(row)
        for same in by_value.values():
            if len(same) > 1:
                numbers = "、".join(str(r.row) for r in same)
                for r in same:
                    self._error(
                        r, key, _("%(column)s在文件中重复（第%(rows)s行）") % {"column": label, "rows": numbers}
                    )
        return by_value

    def _check_employee_numbers(self, rows: list[ParsedRow]) -> None:
        """One 工号, one person: in the file, and against every person stored (deleted ones keep theirs)."""
        by_no = self._repeated_in_file(rows, "employee_no", "工号")
        holders = _employee_no_holders(list(by_no))
        for number, same in by_no.items():
            holder = holders.get(number)
            for r in same:
                if holder is not None and holder != r.id_number:
                    self._error(r, "employee_no", str(EMPLOYEE_NO_TAKEN))

    def _check_against_database(
        self,
        row: ParsedRow,
        existing: dict[str, Person],
        visible: set[int] | None,
        current: dict[int, Membership],
    ) -> None:
        person = existing.get(row.id_number) if row.id_number else None
        cells = row.cells
        if row.political is not None:
            political: str | None = row.political
        elif C.text(cells[I_POLITICAL]):
            political = None  # an unrecognised label, already reported: guessing would add false errors
        else:
            political = person.political_status if person is not None else DEFAULT_POLITICAL
        if political is None or political in MEMBER_STATUSES:
            for key, message in row.lookup_errors:
                self._error(row, key, message)
        if person is not None:
            if person.deleted_at is not None:
                self._error(row, "id_number", str(DELETED if visible is None else NOT_REGISTRABLE))
                return
            if visible is not None and person.pk not in visible:
                self._error(row, "id_number", str(NOT_REGISTRABLE))  # the API and the form say the same
                return
        if political is None:
            return
        membership = current.get(person.pk) if person is not None else None
        if political in MEMBER_STATUSES:
            if MEMBER_STATUSES[political] == "probationary" and row.dates.get("converted_on"):
                self._error(row, "converted_on", _("预备党员不应填写转正日期"))
            # A member was admitted on some day (the branch members' meeting that admitted him): a roster that
            # cannot say when is not a roster of members. A date that could not be read is reported already.
            if C.is_blank(cells[INDEX["admitted_on"]]):
                self._error(row, "admitted_on", _("中共党员、中共预备党员须填写入党日期"))
            if row.branch is None:
                if not C.text(cells[I_BRANCH]):
                    self._error(row, "branch", _("中共党员、中共预备党员须填写所在党支部"))
                return
            if membership is None or membership.organization_id != row.branch.pk:
                if membership is not None and not self._covers(membership.organization.path):
                    self._error(
                        row,
                        "branch",
                        _("该人员的党员组织关系在「%(org)s」，无权调整，请办理组织关系转接")
                        % {"org": membership.organization.name},
                    )
                elif row.branch.dissolved:
                    self._error(row, "branch", _("党支部「%(name)s」已撤销，不能转入") % {"name": row.branch.name})
            return
        label = POLITICAL_LABEL[political]
        covered = self.directory.covered_departments
        if person is None and covered is not None and row.person.get("department_id") not in covered:
            self._error(row, "department", _("新登记的非党员职工须属于您所管党支部覆盖的部门"))
        if C.text(cells[I_BRANCH]):
            self._error(
                row,
                "branch",
                _("政治面貌与党支部不一致：政治面貌为「%(status)s」时不填写所在党支部") % {"status": label},
            )
        elif membership is not None:
            self._error(
                row,
                "political_status",
                _(
                    "政治面貌与党支部不一致：该人员当前是「%(org)s」的党员，"
                    "不能通过导入改为「%(status)s」，请办理组织关系转出或出党手续"
                )
                % {"org": membership.organization.name, "status": label},
            )
        for key, index in (("group", I_GROUP), *zip(MEMBERSHIP_DATES, I_DATES, strict=True)):
            if not C.is_blank(cells[index]):
                self._error(row, key, _("政治面貌为「%(status)s」时不填写此项") % {"status": label})

    def _covers(self, path: str) -> bool:
        return self.scope is None or self.scope.covers_path(path)


def _unknown_choice(header: str, mapping: dict[str, str]) -> str:
    return _("无法识别的%(column)s，应为：%(choices)s") % {"column": header, "choices": "、".join(mapping)}


def _chunks(items: list, size: int = QUERY_CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _existing_persons(numbers: Iterable[str]) -> dict[str, Person]:
    """Persons already stored under these ID numbers, soft-deleted ones included (the number is unique)."""
    out: dict[str, Person] = {}
    for chunk in _chunks(list(numbers)):
        for person in Person.all_objects.filter(id_number__in=chunk):
            out[person.id_number] = person
    return out


def _employee_no_holders(numbers: list[str]) -> dict[str, str]:
    """工号 -> the ID number of the person stored with it."""
    out: dict[str, str] = {}
    for chunk in _chunks(numbers):
        out.update(Person.all_objects.filter(employee_no__in=chunk).values_list("employee_no", "id_number"))
    return out


def _visible_ids(user, pks: list[int]) -> set[int] | None:
    """Which of these persons the user may change; None means all (console import or whole-tree scope)."""
    if user is None:
        return None
    from dangjian.accounts.scope import scope_for

    if scope_for(user, "people.change").everything:  # a shortcut, not a permission: the whole tree needs no query
        return None
    visible: set[int] = set()
    for chunk in _chunks(pks):
        visible.update(
            Person.objects.visible_to(user, "people.change").filter(pk__in=chunk).values_list("pk", flat=True)
        )
    return visible


def _current_memberships(pks: list[int]) -> dict[int, Membership]:
    out: dict[int, Membership] = {}
    for chunk in _chunks(pks):
        for m in Membership.objects.current().filter(person_id__in=chunk).select_related("organization"):
            out[m.person_id] = m
    return out


def validate_rows(
    rows: list[tuple[int, tuple[Any, ...]]],
    *,
    directory: Directory,
    scope=None,
    user=None,
    today: date | None = None,
    tick: Callable[[int], None] | None = None,
) -> Validated:
    validator = Validator(directory=directory, scope=scope, user=user, today=today)
    parsed: list[ParsedRow] = []
    for i, (number, cells) in enumerate(rows, 1):
        parsed.append(validator.parse(number, cells))
        if tick is not None and i % 2000 == 0:
            tick(i)
    return validator.check_together(parsed)

"""The people of one institute: employees, retirees and their party memberships.

Rows are unsaved model instances; the generator bulk-inserts them. Every personal fact is
consistent with the ID number (birth date, sex) and with age on the reference day (``reference_date()``): members joined
the party as adults, full members converted one year after admission, probationary members
were admitted within the last year, and membership history ends where the next row begins.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangjian.idgen import make_id_number
from dangjian.people.models import EndCause, Membership, Occupation, Person, StartCause

from .careers import HIRE_AGE, career, hire_date, years_after
from .names import ALL_REGIONS, CITY_REGIONS, NameMaker
from .spec import SMALL, DeptNode, InstituteSpec, OrgNode, add_years, reference_date

TRANSFER_REASON = "组织关系转接"
_STAFF_AGES = ((22, 29, 22), (30, 39, 33), (40, 49, 25), (50, 59, 19), (60, 65, 1))
_SMALL_BRANCH_FULL = 2  # a planted SMALL branch keeps fewer than 3 full members


@dataclass
class InstituteRows:
    persons: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    current: dict[OrgNode, list[Membership]] = field(default_factory=lambda: defaultdict(list))
    seniors: list[Person] = field(default_factory=list)  # candidates for the committees above

    def full_members(self, branch: OrgNode) -> list[Membership]:
        return [m for m in self.current.get(branch, []) if m.status == "full"]


class Population:
    """Draws people from one seeded generator; ID numbers stay unique across institutes."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.names = NameMaker(rng)
        self.used_ids: set[str] = set()
        self.hired = 0  # the last 工号 handed out, across institutes so that numbers stay unique

    def employee_no(self) -> str:
        """The next 工号: A00001, A00002, … (B00000 on at the group scale). Sequential, so it draws nothing from
        the seeded generator and every other row stays what it was."""
        self.hired += 1
        return f"{chr(ord('A') + self.hired // 100_000)}{self.hired % 100_000:05d}"

    def institute(self, inst: InstituteSpec) -> InstituteRows:
        rows = InstituteRows()
        home = CITY_REGIONS.get(inst.city, ALL_REGIONS)
        work_branches = [b for b in inst.branches if not any(d.retired for d in b.departments)]
        for dept in inst.dept.walk():
            if dept.branch is None:
                continue
            for _ in range(dept.headcount):
                self._one(rows, dept, home, work_branches)
        return rows

    def _one(self, rows: InstituteRows, dept: DeptNode, home: tuple[str, ...], work: list[OrgNode]) -> None:
        rng = self.rng
        if dept.retired:
            age, male = rng.randint(60, 84), rng.random() < 0.58
        else:
            low, high = rng.choices([(a, b) for a, b, _ in _STAFF_AGES], [w for *_, w in _STAFF_AGES])[0]
            age, male = rng.randint(low, high), rng.random() < (0.55 if dept.kind == "office" else 0.66)
        sex = "M" if male else "F"
        birth = reference_date() - timedelta(days=int((age + rng.uniform(0.02, 0.98)) * 365.2425))
        employment = self._employment(dept, age)
        post, title, education = career(rng, dept.kind, dept.name, age, employment)
        person = Person(
            name=self.names.name(sex, birth.year),
            employee_no=self.employee_no(),
            sex=sex,
            id_number=self._id_number(birth, sex, home),
            birth_date=birth,
            ethnicity=self.names.ethnicity(),
            education=education,
            phone=self.names.phone(),
            department=dept.instance,
            post=post,
            title=title,
            employment=employment,
            hire_date=hire_date(rng, birth, age, employment, education),
        )
        person.political_status = self._politics(rows, dept, age, employment)
        statistics_facts(person, dept.kind, age)
        rows.persons.append(person)
        if person.political_status in ("member", "probationary"):
            assert dept.branch is not None
            self._memberships(rows, person, age, dept.branch, work)
            if person.political_status == "member" and employment == "staff" and 42 <= age <= 58:
                rows.seniors.append(person)

    def _employment(self, dept: DeptNode, age: int) -> str:
        if dept.retired:
            return "retired"
        if age >= 60:
            return "external"  # re-hired after retirement
        r = self.rng.random()
        staff, contract = (0.84, 0.13) if dept.kind == "office" else (0.76, 0.18)
        if age > 50:
            staff, contract = staff + contract * 0.7, contract * 0.3
        return "staff" if r < staff else "contract" if r < staff + contract else "external"

    def _id_number(self, birth: date, sex: str, home: tuple[str, ...]) -> str:
        rng = self.rng
        region = rng.choice(home) if rng.random() < 0.45 else rng.choice(ALL_REGIONS)
        serial = rng.randrange(500)
        number = make_id_number(birth, sex, serial, region)
        while number in self.used_ids:
            serial += 1
            if serial % 500 == 0:
                region = rng.choice(ALL_REGIONS)
            number = make_id_number(birth, sex, serial, region)
        self.used_ids.add(number)
        return number

    def _politics(self, rows: InstituteRows, dept: DeptNode, age: int, employment: str) -> str:
        rng = self.rng
        branch = dept.branch
        if dept.retired:
            rate = 0.6
        else:
            rate = 0.28 if age < 26 else 0.45 if age < 35 else 0.52 if age < 50 else 0.58
            rate *= {"staff": 1.0, "contract": 0.6}.get(employment, 0.5)
        r = rng.random()
        if not dept.retired and 23 <= age <= 38 and employment != "external" and r < 0.025:
            return "probationary"
        if r < rate:
            capped = branch is not None and SMALL in branch.flags
            if not capped or len(rows.full_members(branch)) < _SMALL_BRANCH_FULL:
                return "member"
        if age <= 28 and rng.random() < 0.65:
            return "league"
        if age >= 35 and rng.random() < 0.02:
            return "democratic"
        return "masses"

    def _memberships(self, rows: InstituteRows, person: Person, age: int, branch: OrgNode, work: list[OrgNode]) -> None:
        rng = self.rng
        birth, adult = person.birth_date, add_years(person.birth_date, 18)
        if person.political_status == "probationary":
            admitted = reference_date() - timedelta(days=rng.randint(20, 340))
            applied = max(adult, admitted - timedelta(days=rng.randint(540, 1500)))
            converted = None
        else:
            low, high = rng.choices([(19, 24), (25, 32), (33, 45)], [45, 35, 20])[0]
            adm_age = min(rng.randint(low, high), age - 1)
            admitted = years_after(birth, adm_age + rng.random() * 0.95)
            admitted = min(admitted, reference_date() - timedelta(days=400 + rng.randint(0, 200)))
            applied = max(adult, admitted - timedelta(days=rng.randint(365, 1460)))
            converted = add_years(admitted, 1)
        hired = person.hire_date or admitted
        joined = max(admitted, hired)  # when the membership came to this institute
        status = "probationary" if converted is None else "full"
        dates = {"applied_on": applied, "admitted_on": admitted}
        started = joined
        past_branch = None
        if person.employment == "retired":
            started = min(years_after(birth, 60), reference_date() - timedelta(days=30))
            if rng.random() < 0.35 and joined < started:
                past_branch = rng.choice(work)
        elif status == "full" and (reference_date() - joined).days > 900 and rng.random() < 0.1:
            started = joined + timedelta(days=rng.randint(365, (reference_date() - joined).days - 60))
            past_branch = rng.choice([b for b in work if b is not branch] or work)
        if past_branch is not None:
            was_full = converted is not None and converted <= started
            rows.memberships.append(
                Membership(
                    person=person,
                    organization=past_branch.instance,
                    status="full" if was_full else "probationary",
                    converted_on=converted if was_full else None,
                    started_on=joined,
                    ended_on=started,
                    end_reason=TRANSFER_REASON,
                    end_cause=EndCause.MOVED,
                    start_cause=_start_cause(joined, admitted),
                    **dates,
                )
            )
        groups = branch.groups
        current = Membership(
            person=person,
            organization=branch.instance,
            group=rng.choice(groups).instance if groups else None,
            status=status,
            converted_on=converted,
            started_on=started,
            start_cause=StartCause.MOVED if past_branch is not None else _start_cause(started, admitted),
            **dates,
        )
        rows.memberships.append(current)
        rows.current[branch].append(current)


def _start_cause(started: date, admitted: date) -> str:
    """Admitted here (the membership starts the day of admission), else brought along from outside the tree (a new
    employee's or a retiree's membership transferred in)."""
    return StartCause.ADMITTED if started == admitted else StartCause.TRANSFERRED_IN


_PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "37": "山东省", "41": "河南省", "42": "湖北省",
    "43": "湖南省", "51": "四川省", "52": "贵州省", "61": "陕西省", "62": "甘肃省",
}  # fmt: skip
_CITY_OF = {code: city for city, codes in CITY_REGIONS.items() for code in codes}


def native_place(region: str) -> str:
    """籍贯 as 省+市 from a division code: 河北省石家庄市; a municipality is named once (北京市)."""
    province, city = _PROVINCES[region[:2]], _CITY_OF[region]
    return province if province.startswith(city) else f"{province}{city}市"


def statistics_facts(person: Person, dept_kind: str, age: int) -> None:
    """籍贯, 参加工作时间 and 职业 (the statistics' classification), drawn from a generator of the person's own
    (seeded by the ID number), so that the population's main draws — and every row after this one — stay what they were.

    籍贯 is mostly the birthplace of the ID number; work started at the age the education leads to, earlier for some
    who worked elsewhere first; a research institute's members are mostly 专业技术人员, its offices' staff
    管理人员, a few technicians 工人, young external staff 学生 (graduate students), and the retirees 离退休人员. A
    few records lack one fact, as real rosters do (the data-quality page lists them)."""
    rng = random.Random(person.id_number)
    region = person.id_number[:6] if rng.random() < 0.75 else rng.choice(ALL_REGIONS)
    person.native_place = "" if rng.random() < 0.02 else native_place(region)
    low, high = HIRE_AGE.get(person.education, (22, 24))
    started = years_after(person.birth_date, rng.uniform(low, high + 0.5))
    if person.hire_date is not None and rng.random() < 0.6:
        started = min(started, person.hire_date)
    if rng.random() > 0.015:
        person.work_started_on = min(started, reference_date() - timedelta(days=30))
    if person.employment == "retired":
        occupation = Occupation.RETIRED
    elif person.employment == "external" and age < 28 and rng.random() < 0.5:
        occupation = Occupation.STUDENT
    elif dept_kind == "office":
        occupation = Occupation.MANAGER if rng.random() < 0.85 else Occupation.WORKER
    elif person.post == "技术员":
        occupation = Occupation.WORKER if rng.random() < 0.6 else Occupation.PROFESSIONAL
    else:
        occupation = Occupation.PROFESSIONAL if rng.random() < 0.95 else Occupation.MANAGER
    person.occupation = "" if rng.random() < 0.01 else occupation

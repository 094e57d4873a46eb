"""Posts, titles, education and hire dates that fit a person's age and unit.

A 24-year-old is an 助理工程师 with a master's degree hired last year; a 52-year-old is more
likely a 研究员 hired in the 1990s. Office staff hold the title series of their office
(会计师 in 财务处, 政工师 in 党群工作部), which later views group and count.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .spec import reference_date

_RESEARCH_POSTS = (
    (27, ("助理工程师", "技术员", "工程师"), (60, 25, 15)),
    (35, ("工程师", "助理工程师", "高级工程师", "技术员"), (60, 15, 15, 10)),
    (45, ("高级工程师", "工程师", "研究员", "技术员"), (45, 35, 10, 10)),
    (200, ("研究员", "高级工程师", "工程师", "技术员"), (25, 50, 15, 10)),
)
_EDUCATION = {
    "研究员": (("doctorate", "master", "bachelor"), (60, 35, 5)),
    "高级工程师": (("doctorate", "master", "bachelor"), (20, 50, 30)),
    "工程师": (("doctorate", "master", "bachelor", "college"), (8, 52, 35, 5)),
    "助理工程师": (("master", "bachelor", "college"), (50, 45, 5)),
    "技术员": (("bachelor", "college", "secondary"), (30, 50, 20)),
    "管理岗": (("master", "bachelor", "college"), (35, 55, 10)),
    "": (("master", "bachelor", "college", "secondary", "doctorate"), (7, 40, 30, 22, 1)),
}
_OFFICE_SERIES = {
    "财务处": ("助理会计师", "会计师", "高级会计师"),
    "人力资源处": ("助理经济师", "经济师", "高级经济师"),
    "综合办公室": ("助理政工师", "政工师", "高级政工师"),
    "党群工作部": ("助理政工师", "政工师", "高级政工师"),
    "纪检监察室": ("助理政工师", "政工师", "高级政工师"),
    "保密办公室": ("助理政工师", "政工师", "高级政工师"),
}
_ENGINEERING = ("助理工程师", "工程师", "高级工程师")
_RETIRED_TITLES = (("高级工程师", "研究员", "工程师", "高级政工师", "会计师", ""), (40, 10, 30, 5, 3, 12))
# Age at first hire after each level of education.
HIRE_AGE = {
    "doctorate": (28, 31),
    "master": (25, 27),
    "bachelor": (22, 24),
    "college": (20, 22),
    "secondary": (18, 20),
}


def years_after(d: date, years: float) -> date:
    return d + timedelta(days=int(years * 365.2425))


def career(rng: random.Random, dept_kind: str, dept_name: str, age: int, employment: str) -> tuple[str, str, str]:
    """(post, title, education) for one person."""
    if employment == "retired":
        title = rng.choices(*_RETIRED_TITLES)[0]
        return "", title, rng.choices(*_EDUCATION[""])[0]
    if dept_kind == "office":
        series = _OFFICE_SERIES.get(dept_name, _ENGINEERING)
        level = 0 if age < 30 else 1 if age < 45 else 2
        if level and rng.random() < 0.3:
            level -= 1
        post, title = "管理岗", series[level]
    else:
        posts, weights = next((p, w) for limit, p, w in _RESEARCH_POSTS if age < limit)
        post = rng.choices(posts, weights)[0]
        title = rng.choice(("研究员", "正高级工程师")) if post == "研究员" else post
    if employment == "external" and rng.random() < 0.5:
        title = ""
    return post, title, rng.choices(*_EDUCATION[post])[0]


def hire_date(rng: random.Random, birth: date, age: int, employment: str, education: str) -> date:
    """When the person joined the institute: after study for staff and retirees, recently for others."""
    earliest = years_after(birth, 18)
    latest = reference_date() - timedelta(days=30)
    if employment in ("staff", "retired"):
        low, high = HIRE_AGE.get(education, (22, 24))
        hired = years_after(birth, rng.uniform(low, high + 1))
        if employment == "staff" and rng.random() < 0.15:  # came from another employer
            hired = years_after(hired, rng.uniform(1, 8))
    elif employment == "contract":
        hired = reference_date() - timedelta(days=rng.randint(30, 365 * 10))
    else:
        hired = reference_date() - timedelta(days=rng.randint(30, 365 * 5))
    return max(earliest, min(hired, latest))

"""Demo checkups and consent for the demo institute (the flagship, in Beijing: north of the Yangtze, urban).

For the last two checkup years up to the reference day (``checkup_years``): about 93% of the working staff (not
retirees) have a checkup each year; consent is given by most, a few never gave it (their checkups exist but later
runs must skip them), a few withdrew this year. Gastric labs (PG I/II, G-17, H. pylori) are done from age 40 with
~20% missing, so a run can say what is missing. Values follow Chinese adult distributions by sex and age (China
Hypertension Survey 2012–2015, China Chronic Disease and Risk Factor Surveillance; magnitudes only), clipped to the
accepted ranges; the second year drifts a little from the first. Deterministic for a seed.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from django.db import models

from dangjian.accounts.models import User
from dangjian.crypto import ring
from dangjian.demo import flagship
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import Department
from dangjian.people.models import Person

from .models import Checkup, Consent

CRC_ITEMS = {
    "own_cancer_history": 0.01,
    "own_polyp_history": 0.03,
    "chronic_constipation": 0.08,
    "chronic_diarrhoea": 0.05,
    "mucus_or_bloody_stool": 0.02,
    "adverse_life_event_20y": 0.08,
    "chronic_appendicitis_or_appendectomy": 0.06,
    "chronic_biliary_disease_or_cholecystectomy": 0.04,
}


def _clip(x: float, low: float, high: float, digits: int = 1) -> float:
    return round(min(high, max(low, x)), digits)


def _base(rng: random.Random, sex: str, age: int) -> dict:
    """One person's stable traits (the second year starts from them)."""
    male = sex == "M"
    smoker = rng.random() < (0.45 if male else 0.02)
    return {
        "sbp": rng.gauss(118 + (6 if male else 0) + 0.55 * (age - 30), 13),
        "tc": rng.gauss(4.55 + 0.016 * (age - 30), 0.8),
        "hdl": rng.gauss(1.18 if male else 1.42, 0.27),
        "waist": rng.gauss((86 if male else 77) + 0.12 * (age - 30), 8.5),
        "smoker": smoker,
        "ex_smoker": not smoker and male and rng.random() < 0.12,
        "diabetes": rng.random() < min(0.25, max(0.01, 0.004 * (age - 25))),
        "family": rng.random() < 0.15,
        "hp": rng.random() < 0.45,
        "pg1": math.exp(rng.gauss(math.log(85), 0.35)),
        "pg2": math.exp(rng.gauss(math.log(9), 0.4)),
        "g17": math.exp(rng.gauss(math.log(2.5), 0.7)),
        "fdr_crc": rng.random() < 0.04,
        "crc": {k: rng.random() < p for k, p in CRC_ITEMS.items()},
        "labs_missing": rng.random() < 0.2,
    }


def _values(rng: random.Random, b: dict, age: int, drift: int) -> dict:
    treated = b["sbp"] + drift * 1.5 >= 140 and rng.random() < 0.45
    v = {
        "sbp_mmhg": _clip(b["sbp"] + drift * 1.5 + rng.gauss(0, 5) - (8 if treated else 0), 90, 198, 0),
        "on_bp_treatment": treated,
        "total_cholesterol_mmol_l": _clip(b["tc"] + rng.gauss(0, 0.25), 2.6, 9.5, 2),
        "hdl_cholesterol_mmol_l": _clip(b["hdl"] + rng.gauss(0, 0.08), 0.6, 3.0, 2),
        "waist_cm": _clip(b["waist"] + drift * 0.5 + rng.gauss(0, 1.5), 55, 125),
        "current_smoker": b["smoker"],
        "ever_smoker": b["smoker"] or b["ex_smoker"],
        "diabetes": b["diabetes"],
        "north": True,
        "urban": True,
        "family_history_ascvd": b["family"],
        "first_degree_relative_crc": b["fdr_crc"],
        **b["crc"],
    }
    if age >= 40 and not b["labs_missing"]:
        pg1 = b["pg1"] * (0.8 if b["hp"] else 1.0) * math.exp(rng.gauss(0, 0.1))
        pg2 = b["pg2"] * (1.6 if b["hp"] else 1.0) * math.exp(rng.gauss(0, 0.1))
        v.update(
            h_pylori_positive=b["hp"],
            pg1_ng_ml=_clip(pg1, 5, 400),
            pg2_ng_ml=_clip(pg2, 1, 100),
            gastrin17_pmol_l=_clip(b["g17"] * (1.8 if b["hp"] else 1.0) * math.exp(rng.gauss(0, 0.2)), 0.3, 60, 2),
        )
    if age >= 40 and rng.random() < 0.6:
        v["fit_result"] = "positive" if rng.random() < 0.05 else "negative"
    return v


def _staff():
    root = Department.objects.filter(name=flagship.NAME).order_by("path").first()
    people = Person.objects.exclude(employment="retired")
    if root is not None:
        people = people.filter(department__in=Department.objects.subtree(root))
    return list(people.order_by("pk").only("pk", "sex", "birth_date"))


SEASON_START, SEASON_END = (4, 1), (10, 31)  # the institute's checkups run from April to October


def checkup_years(on: date) -> tuple[int, int]:
    """The last two years whose checkup season has begun by ``on``: a demo built in February has last year's and
    the year before's checkups, not an empty current year."""
    year = on.year if on > date(on.year, *SEASON_START) else on.year - 1
    return (year - 1, year)


def generate_demo(seed: int) -> dict[str, int]:
    user = User.objects.filter(username="health").first() or User.objects.order_by("pk").first()
    if user is None:
        return {}
    rng = random.Random(f"health-{seed}")
    c = ring()
    years = checkup_years(reference_date())
    checkups: list[Checkup] = []
    consents: list[Consent] = []
    for person in _staff():
        roll = rng.random()
        never, withdrew = roll < 0.04, 0.04 <= roll < 0.08
        base = None
        for drift, year in enumerate(years):
            last_day = min(date(year, SEASON_END[0], SEASON_END[1]), reference_date() - timedelta(days=1))
            start = date(year, SEASON_START[0], SEASON_START[1])
            day = start + timedelta(days=rng.randrange((last_day - start).days + 1))
            if not never:
                given = date(year, 3, 1) + timedelta(days=rng.randrange(25))
                consent = Consent(person=person, year=year, given_on=given, given_recorded_by=user)
                if withdrew and year == years[-1]:
                    consent.withdrawn_on, consent.withdrawn_recorded_by = day, user
                consents.append(consent)
            if rng.random() >= 0.93:
                continue
            age = person.age_on(day)
            base = base or _base(rng, person.sex, age)
            checkup = Checkup(person=person, year=year, checked_on=day, source=Checkup.Source.DEMO, recorded_by=user)
            checkup.set_values(_values(rng, base, age, drift), using=c)
            checkups.append(checkup)
    Consent.objects.bulk_create(consents, batch_size=2000)
    Checkup.objects.bulk_create(checkups, batch_size=1000)
    counts = {"health.Consent": len(consents), "health.Checkup": len(checkups)}
    if user.assignments.filter(role="health_officer").exists():
        counts.update(_screen_and_follow_up(user, years, rng, c))
    return counts


# Follow-up texts of the demo: advice as a health officer writes it (no values, which live in the checkup).
ADVICE = (
    ("低盐饮食，规律运动，每周测量血压并记录", "", "", "血压记录已交，较前平稳"),
    ("建议心内科门诊评估血脂与血压，遵医嘱用药", "院医务室转心内科", "心内科门诊", "已就诊，开始服药"),
    ("建议胃镜检查", "合作医院消化内科", "胃镜", "慢性浅表性胃炎，一年后复查"),
    ("建议结肠镜检查", "合作医院消化内科", "结肠镜", ""),
    ("戒烟指导，控制体重，三个月后复查血脂", "", "", ""),
)


def _screen_and_follow_up(user, years, rng: random.Random, c) -> dict[str, int]:
    """Run the screening for both years as the demo health officer, then follow-ups for the current year's top of
    the queue: some contacted with records, some only assigned, a few overdue (next check date passed)."""
    from .models import FollowUp, FollowUpRecord, ScreeningResult, ScreeningRun
    from .runs import execute

    for year in years:
        execute(ScreeningRun.objects.create(year=year, started_by=user, scope_label=flagship.NAME))
    year = years[-1]
    top = list(
        ScreeningResult.objects.filter(year=year, follow_up_needed=True)
        .order_by(models.F("cvd_percent").desc(nulls_last=True), "person_id")
        .values_list("person_id", flat=True)[:24]
    )
    follow_ups, records = [], []
    for i, person_id in enumerate(top):
        assigned = reference_date() - timedelta(days=10 + 3 * i)
        f = FollowUp(person_id=person_id, year=year, assigned_to=user, assigned_on=assigned)
        if i % 4 != 3:  # every fourth only assigned (some of them past the first-contact time)
            contact = assigned + timedelta(days=rng.randrange(1, 8))
            f.last_contact_on = contact
            # a few next checks already passed: overdue on the officer's to-do list
            f.next_check_on = contact + timedelta(days=14 if i % 5 == 0 else 90)
        follow_ups.append(f)
    FollowUp.objects.bulk_create(follow_ups)
    for i, f in enumerate(follow_ups):
        if f.last_contact_on is None:
            continue
        advice, referral_to, exam, result = ADVICE[i % len(ADVICE)]
        r = FollowUpRecord(
            follow_up=f,
            contact_on=f.last_contact_on,
            exam_booked_on=f.last_contact_on + timedelta(days=7) if exam else None,
            next_check_on=f.next_check_on,
            recorded_by=user,
        )
        r.set_text(
            {
                "advice": advice,
                "referral": bool(referral_to),
                "referral_to": referral_to,
                "exam": exam,
                "result": result,
            },
            using=c,
        )
        records.append(r)
    FollowUpRecord.objects.bulk_create(records)
    return {
        "health.ScreeningResult": ScreeningResult.objects.count(),
        "health.FollowUp": len(follow_ups),
        "health.FollowUpRecord": len(records),
    }

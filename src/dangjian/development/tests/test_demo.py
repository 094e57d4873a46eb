"""The demo's development cases: every stage, overdue and due-soon cases, one override, all within the rules."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction

from dangjian.demo.spec import FIXED_DATE, dated
from dangjian.development.bulk import bulk_status
from dangjian.development.demo import generate_demo
from dangjian.development.models import ActivistReview, Contact, Development, Override, ProbationExtension, StepRecord
from dangjian.development.steps import STEPS_2014
from dangjian.development.timeline import BLOCKED, DONE, DUE, OVERDUE, gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(institute_demo):
    """The demo institute shared by the whole run (``dangjian.pytest_plugin.institute_demo``)."""
    return institute_demo


def test_demo_has_every_stage_and_status(demo):
    assert demo["development.Development"] == Development.objects.count() >= 50
    assert demo["development.StepRecord"] == StepRecord.objects.count()
    # every case past step 6 has its half-yearly reviews (细则 第11条)
    assert demo["development.ActivistReview"] == ActivistReview.objects.count() > 0
    past_six = Development.objects.filter(steps__number=7)
    assert past_six.exists() and not past_six.exclude(activist_reviews__isnull=False).exists()
    stages = Counter(Development.objects.values_list("stage", flat=True))
    assert set(stages) == {"applicant", "activist", "candidate", "probationary", "converted"}
    assert Development.objects.filter(stage="converted", status="closed").exists()
    statuses = Counter(s.status for s in bulk_status(Development.objects.all(), FIXED_DATE).values())
    assert statuses[OVERDUE] and statuses[DUE] and statuses[BLOCKED] and statuses[DONE]
    soon = Development.objects.filter(status="open", next_due_on__gte=FIXED_DATE)
    assert soon.filter(next_due_on__lte=FIXED_DATE + timedelta(days=30)).exists()


def test_demo_has_one_override_on_a_step_its_rule_would_block(demo):
    override = Override.objects.get()
    dev = override.development
    records = {r.number: r for r in dev.steps.all()}
    step = next(s for s in STEPS_2014 if s.code == override.step_code)
    check = gate(dev, step, records[step.number].done_on, records, list(dev.contacts.select_related("person")))
    assert check is not None and check.blocked and override.reason


def test_demo_steps_respect_the_rules_except_the_override(demo):
    """Every recorded step passes its gate on its own date (the talk within a month, the year, the sponsors)."""
    overridden = set(Override.objects.values_list("development_id", "step_code"))
    for dev in Development.objects.select_related("person").prefetch_related("steps", "contacts__person"):
        records = {r.number: r for r in dev.steps.all()}
        dates = [records[n].done_on for n in sorted(records)]
        assert dates == sorted(dates) and sorted(records) == list(range(1, len(records) + 1))
        assert all(d <= FIXED_DATE for d in dates)
        for number, rec in records.items():
            step = STEPS_2014[number - 1]
            if (dev.pk, step.code) in overridden:
                continue
            data = {
                "training_days": rec.training_days,
                "training_hours": rec.training_hours,
                "votes_due": rec.votes_due,
                "votes_present": rec.votes_present,
                "votes_yes": rec.votes_yes,
            }
            earlier = {n: r for n, r in records.items() if n < number}
            check = gate(dev, step, rec.done_on, earlier, list(dev.contacts.all()), data=data)
            assert check is None or check.ok, (dev.pk, number, check and check.reason)


def _rows():
    return list(
        StepRecord.objects.order_by("development__person_id", "number").values_list(
            "development__person_id", "number", "done_on"
        )
    )


def test_demo_is_deterministic(demo):
    """The same seed on the same data gives the same cases (run twice on the loaded demo, rolled back)."""

    def regenerate():
        with transaction.atomic():  # rolled back: each run starts from the same data
            with connection.cursor() as cursor:  # the models refuse deletion
                for model in (ActivistReview, ProbationExtension, Override, Contact, StepRecord, Development):
                    cursor.execute(f"DELETE FROM {model._meta.db_table}")
            with dated(FIXED_DATE):
                result = generate_demo(2026), _rows()
            transaction.set_rollback(True)
        return result

    first = regenerate()
    assert first == regenerate()
    assert first[0]["development.Development"] == demo["development.Development"]


def test_approved_admissions_and_conversions_are_on_the_roster(demo):
    from dangjian.people.models import Membership

    for dev in Development.objects.filter(stage__in=("probationary", "converted")).select_related("person"):
        membership = Membership.objects.current().get(person=dev.person)
        assert membership.organization_id == dev.branch_id
        meeting = dev.steps.get(code="admission_meeting").done_on
        assert membership.admitted_on == meeting and membership.start_cause == "admitted"
        converted = dev.steps.filter(code="conversion_approval").exists()
        assert membership.status == ("full" if converted else "probationary")
        assert dev.person.political_status == ("member" if converted else "probationary")

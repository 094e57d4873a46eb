"""The demo institute's talent work (``talent.demo``)."""

from __future__ import annotations

import pytest

from dangjian.talent import services
from dangjian.talent.models import ClassStudent, Mentorship, SecretaryReserve, YoungMarxistClass

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_reserve_in_every_state_pairs_and_graduated_classes(institute_demo):
    assert set(SecretaryReserve.objects.values_list("status", flat=True)) == {
        "candidate",
        "ready",
        "appointed",
        "removed",
    }
    assert Mentorship.objects.count() >= 5
    assert Mentorship.objects.filter(status="completed").exists()
    for klass in YoungMarxistClass.objects.all():
        counts = services.attendance(klass)
        for student in ClassStudent.objects.filter(klass=klass).exclude(result=""):
            attended, held = counts[student.pk]
            graduated = services.rate(attended, held) >= klass.required_rate
            assert (student.result == "graduated") == graduated, student

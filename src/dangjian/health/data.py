"""What a screening run reads: the year's checkups of people with active consent, in one query.

Withdrawn or missing consent means the person is simply not returned (PIPL art. 15, 29); the caller never sees
their values. Age is reckoned on the checkup date, sex comes from the Person (公民身份号码). The values are a dict
in canonical units with missing fields absent or None, so a run can name what is missing instead of guessing.
"""

from __future__ import annotations

from dangjian.crypto import ring
from dangjian.people.idcard import full_years

from .batch import decrypt_inputs
from .models import Checkup, Consent
from .screening import ScreeningInput

__all__ = ["ScreeningInput", "checkup_rows", "input_for", "inputs_for_year"]


def checkup_rows(year: int, people=None) -> list[tuple]:
    """``(person_id, sex, birth_date, key_id, ciphertext, checked_on)`` of everyone with a checkup and active
    consent for ``year``, still encrypted; ``people`` (a Person queryset) narrows it to a scope."""
    consenting = Consent.objects.active().filter(year=year).values("person_id")
    checkups = Checkup.objects.filter(year=year, person_id__in=consenting)
    if people is not None:
        checkups = checkups.filter(person_id__in=people.values("pk"))
    fields = ("person_id", "person__sex", "person__birth_date", "key_id", "ciphertext", "checked_on")
    return list(checkups.values_list(*fields))


def inputs_for_year(year: int, people=None) -> list[ScreeningInput]:
    """Everyone with a checkup and active consent for ``year``, decrypted."""
    return decrypt_inputs(checkup_rows(year, people), year, ring())


def input_for(person, checkup: Checkup) -> ScreeningInput:
    """One person's checkup as a run reads it (for a page that recomputes what a result does not store)."""
    return ScreeningInput(
        person.pk, person.sex, full_years(person.birth_date, checkup.checked_on), checkup.checked_on, checkup.values()
    )

"""What a screening run reads: the year's checkups of people with active consent, decrypted, in one query.

Withdrawn or missing consent means the person is simply not returned (PIPL art. 15, 29); the caller never sees
their values. Age is reckoned on the checkup date, sex comes from the Person (公民身份号码). The values are a dict
in canonical units with missing fields absent or None, so a run can name what is missing instead of guessing.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from dangjian.people.idcard import full_years

from .crypto import cipher
from .models import Checkup, Consent
from .models.checkup import decode_with_gaps


class ScreeningInput(NamedTuple):  # a tuple, not a dataclass: 150,000 of them are built per run
    person_id: int
    sex: str  # "M" or "F", as the score functions take it
    age: int  # full years on the checkup date
    checked_on: date
    values: dict


def inputs_for_year(year: int, people=None) -> list[ScreeningInput]:
    """Everyone with a checkup and active consent for ``year``; ``people`` (a Person queryset) narrows it to a scope."""
    consenting = Consent.objects.active().filter(year=year).values("person_id")
    checkups = Checkup.objects.filter(year=year, person_id__in=consenting)
    if people is not None:
        checkups = checkups.filter(person_id__in=people.values("pk"))
    rows = checkups.values_list("person_id", "person__sex", "person__birth_date", "key_id", "ciphertext", "checked_on")
    c = cipher()
    context = Checkup.context_for
    return [
        ScreeningInput(
            person_id,
            sex,
            full_years(birth, checked_on),
            checked_on,
            decode_with_gaps(c.decrypt_json(blob, context(person_id, year), key_id)),
        )
        for person_id, sex, birth, key_id, blob, checked_on in rows
    ]


def input_for(person, checkup: Checkup) -> ScreeningInput:
    """One person's checkup as a run reads it (for a page that recomputes what a result does not store)."""
    return ScreeningInput(
        person.pk, person.sex, full_years(person.birth_date, checkup.checked_on), checkup.checked_on, checkup.values()
    )

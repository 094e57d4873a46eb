"""``export_roster``: persons and their current membership in the template's format.

Branches and departments are written by the shortest name path that identifies
them (usually the bare name), which is exactly what the importer resolves, so
an export imported back changes nothing. Persons are read in chunks with their
department and current membership prefetched: a constant number of queries
per 2,000 persons, whatever the size of the roster.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from dangjian.people.models import Membership, Person

from .columns import COLUMN_SPECS, EDUCATION_LABEL, EMPLOYMENT_LABEL, OCCUPATION_LABEL, POLITICAL_LABEL, SEX_LABEL
from .lookups import Directory
from .template import add_help_sheet, new_roster_workbook, save, write_rows

CHUNK = 2000


def export_roster(persons: QuerySet[Person], *, unmasked: QuerySet[Person] | None = None) -> bytes:
    """The given persons as a roster .xlsx.

    The caller has already limited ``persons`` to what the user may see; ordering is kept if it has one.
    ``unmasked`` are the persons whose ID number and phone the user may see in full ("people.view_sensitive");
    everyone else's are masked exactly as the pages mask them (issue 10: an export is no way around the mask).
    None (the console) writes every value in full.
    """
    directory = Directory()
    if unmasked is not None:
        persons = persons.annotate(roster_full=Exists(unmasked.filter(pk=OuterRef("pk"))))
    book, sheet = new_roster_workbook()
    write_rows(sheet, _rows(persons, directory, masked=unmasked is not None))
    add_help_sheet(book)
    return save(book)


def _rows(persons: QuerySet[Person], directory: Directory, *, masked: bool) -> Iterator[list[Any]]:
    current = Prefetch("memberships", queryset=Membership.objects.current().order_by(), to_attr="roster_current")
    qs = persons.prefetch_related(current)
    if not qs.ordered:
        qs = qs.order_by("sort_key", "name", "id")
    for person in qs.iterator(chunk_size=CHUNK):
        membership = person.roster_current[0] if person.roster_current else None
        full = not masked or person.roster_full
        values: dict[str, Any] = {
            "name": person.name,
            "employee_no": person.employee_no,
            "sex": SEX_LABEL.get(person.sex, ""),
            "id_number": person.id_number if full else person.masked_id_number,
            "ethnicity": person.ethnicity,
            "education": EDUCATION_LABEL.get(person.education, ""),
            "phone": person.phone if full else (person.masked_phone if person.phone else ""),
            "department": directory.department_label(person.department_id),
            "post": person.post,
            "title": person.title,
            "employment": EMPLOYMENT_LABEL.get(person.employment, ""),
            "political_status": POLITICAL_LABEL.get(person.political_status, ""),
            "hire_date": person.hire_date,
            "native_place": person.native_place,
            "work_started_on": person.work_started_on,
            "occupation": OCCUPATION_LABEL.get(person.occupation, ""),
        }
        if membership is not None:
            values.update(
                branch=directory.branch_label(membership.organization_id),
                group=directory.group_name.get(membership.group_id, "") if membership.group_id else "",
                applied_on=membership.applied_on,
                admitted_on=membership.admitted_on,
                converted_on=membership.converted_on,
            )
        yield [values.get(col.key) for col in COLUMN_SPECS]

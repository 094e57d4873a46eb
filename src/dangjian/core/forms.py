from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


PICK_LIMIT = 200


def narrow_people(request, people, field: str = "person", limit: int = PICK_LIMIT):
    """Keep a person drop-down small in a large scope (the office of a group sees 150,000 people).

    ``?person=<pk>`` (a link from the person's page) or the posted choice narrows to that person; ``?q=``
    searches name or ID number; otherwise the first ``limit`` by name. Returns the queryset for the field
    and the context of the search box that ``core/form.html`` shows above the form.
    """
    from django.db.models import Q
    from django.utils.translation import gettext as _

    chosen = request.POST.get(field) or request.GET.get(field) or ""
    q = (request.GET.get("q") or "").strip()[:50]
    if chosen.isdigit():
        return people.filter(pk=int(chosen)), None
    if q:
        people = people.filter(Q(name__contains=q) | Q(id_number__startswith=q.upper()))
    ids = list(people.values_list("pk", flat=True)[: limit + 1])
    note = (
        _("符合条件的人员较多，只列出前 %(n)s 人，请输入姓名或身份证号搜索。") % {"n": limit}
        if len(ids) > limit
        else ""
    )
    return people.filter(pk__in=ids[:limit]), {"q": q, "note": note}


__all__ = ["NON_FIELD_ERRORS", "apply_errors", "narrow_people"]

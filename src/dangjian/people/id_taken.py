"""What a user is told when the ID number they enter already belongs to someone.

Inside the scope the user may change (the roster import's rule) it is plainly "已登记". Outside it, the web
form, the API and the roster import all give the same answer, which neither confirms nor denies that the person
exists elsewhere (issue 10 §7: the import said "无权修改该人员" while the API said "已登记", so together they
revealed who is registered in other branches). A soft-deleted person is named as such only to a user whose
scope is the whole tree.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ALREADY_REGISTERED = _("该公民身份号码已登记")
NOT_REGISTRABLE = _("该公民身份号码无法在您的管理范围内登记，如有疑问请联系党委办公室")
DELETED = _("该公民身份号码对应的人员已被删除，如需恢复请联系党委办公室")


def id_number_taken(user, id_number: str, *, exclude_pk: int | None = None) -> str | None:
    """The refusal for registering ``id_number`` (for ``user``; None = console), or None when it is free."""
    from dangjian.accounts.scope import scope_for

    from .models import Person

    qs = Person.all_objects.filter(id_number=(id_number or "").strip().upper())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    person = qs.first()
    if person is None:
        return None
    whole_tree = user is None or scope_for(user, "people.change").everything
    if person.deleted_at is not None:
        return str(DELETED) if whole_tree else str(NOT_REGISTRABLE)
    if whole_tree or Person.objects.visible_to(user, "people.change").filter(pk=person.pk).exists():
        return str(ALREADY_REGISTERED)
    return str(NOT_REGISTRABLE)

"""What a user is told when the ID number they enter already belongs to someone.

Inside the scope the user may change (the roster import's rule) it is plainly "已登记". Outside it, the web
form, the API and the roster import all give the same answer, which neither confirms nor denies that the person
exists elsewhere (issue 10 §7: the import said "无权修改该人员" while the API said "已登记", so together they
revealed who is registered in other branches). A soft-deleted person is named as such only to a user who holds
``people.view_deleted`` over the whole tree (the office, which restores records).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ALREADY_REGISTERED = _("该公民身份号码已登记")
NOT_REGISTRABLE = _("该公民身份号码无法在您的管理范围内登记，如有疑问请联系党委办公室")
DELETED = _("该公民身份号码对应的人员已被删除，如需恢复请联系党委办公室")


def id_number_taken(user, id_number: str, *, exclude_pk: int | None = None) -> str | None:
    """The refusal for registering ``id_number`` (for ``user``; None = console), or None when it is free."""
    from dangjian.accounts.scope import WHOLE_TREE, can

    from .models import Person

    qs = Person.all_objects.filter(id_number=(id_number or "").strip().upper())
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    person = qs.first()
    if person is None:
        return None
    if person.deleted_at is not None:
        # Deleted records are the office's to restore, over the whole register.
        knows_deleted = user is None or can(user, "people.view_deleted", WHOLE_TREE)
        return str(DELETED) if knows_deleted else str(NOT_REGISTRABLE)
    if user is None or Person.objects.visible_to(user, "people.change").filter(pk=person.pk).exists():
        return str(ALREADY_REGISTERED)
    return str(NOT_REGISTRABLE)

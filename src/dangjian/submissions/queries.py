"""Who sees which submissions: the scope of ``submissions.view`` (the sending organisation's subtree and the
addressee's), narrowed for 个人有关事项 to the person who drafted it and, once sent, the office that answers it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from dangjian.accounts.scope import has_perm, scope_for

from .models import Category, Status, Submission

VIEW = "submissions.view"
CHANGE = "submissions.change"
ANSWER = "submissions.answer"


def answerable_q(user, field: str = "addressee") -> Q:
    """Rows whose ``field`` organisation is one the user answers for (the office's subtree); nothing without it."""
    if not has_perm(user, ANSWER):
        return Q(pk__in=[])
    scope = scope_for(user, ANSWER)
    if scope.everything:
        return Q(pk__isnull=False)  # every row, and its negation none (``~Q()`` would still match every row)
    return Q(**{f"{field}__in": scope.organizations()})


def personal_q(user) -> Q:
    """Which 个人有关事项 the user may see: their own, and those sent to an organisation they answer for."""
    own = Q(drafted_by_id=user.pk) if getattr(user, "pk", None) else Q(pk__in=[])
    return ~Q(category=Category.PERSONAL) | own | (answerable_q(user) & ~Q(status=Status.DRAFT))


def visible(user, perm: str = VIEW, queryset: QuerySet | None = None) -> QuerySet:
    qs = Submission.objects.all() if queryset is None else queryset
    return qs.visible_to(user, perm).filter(personal_q(user))


def received_by(user, queryset: QuerySet | None = None) -> QuerySet:
    """What the user's office received: sent to an organisation they answer for, drafts never."""
    return visible(user, VIEW, queryset).filter(answerable_q(user)).exclude(status=Status.DRAFT)

"""Linking accounts to persons (关联人员): the system administrator's picker, link and unlink.

A person's account is how they see their own meetings, dues and study hours; an account without a person sees
nothing of its own. One person has at most one account; administrators' accounts are never linked (三权分立,
``separation.check_person_link``). The picker offers persons without an account, found by name, 工号 or the last
digits of the ID number, and names them with what tells namesakes apart, never the whole ID number.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.core.forms import apply_errors
from dangjian.core.scoping import require_perm
from dangjian.people.models import Person

from .. import separation, services
from ..forms import LinkPersonForm
from ..models import User

PICK_LIMIT = 50
# The end of an ID number (its last 4 to 18 characters, X for the check digit) or a 工号 made only of digits.
_ID_TAIL = re.compile(r"[0-9]{3,17}[0-9Xx]")


def free_people() -> QuerySet[Person]:
    """Persons on the roster without an account, in the order a picker lists them."""
    return Person.objects.filter(user__isnull=True).select_related("department").order_by("sort_key", "name", "pk")


def person_picker(request: HttpRequest, field: str = "person") -> tuple[QuerySet[Person], dict]:
    """The persons a picker offers and the search box of ``core/form.html``.

    The posted (or linked, ``?person=``) choice is any person on the roster, so that choosing one who already has
    an account gets the service's clear refusal rather than "not a valid choice"; otherwise ``?q=`` narrows the
    persons without an account by name, 工号 or the end of the ID number, at most ``PICK_LIMIT`` of them.
    """
    chosen = request.POST.get(field) or request.GET.get(field) or ""
    q = (request.GET.get("q") or "").strip()[:50]
    note = _("可按姓名、工号或公民身份号码后4位以上搜索；只列出尚未关联账号的人员。")
    if chosen.isdigit():
        return Person.objects.filter(pk=int(chosen)).select_related("department"), {"q": q, "note": note}
    people = free_people()
    if q:
        found = Q(name__contains=q) | Q(employee_no__in={q, q.upper()})
        if _ID_TAIL.fullmatch(q):
            from dangjian.people.services import note_number_search

            found |= Q(id_number__endswith=q.upper())
            # a look-up by ID number is one of sensitive information (PIPL art. 28): audited as on the people list
            note_number_search(request.user, q, complete_only=False)
        people = people.filter(found)
    ids = list(people.values_list("pk", flat=True)[: PICK_LIMIT + 1])
    if len(ids) > PICK_LIMIT:
        note = _("符合条件的人员较多，只列出前 %(n)s 人，请输入姓名、工号或公民身份号码后几位搜索。") % {
            "n": PICK_LIMIT
        }
    return free_people().filter(pk__in=ids[:PICK_LIMIT]), {"q": q, "note": note}


def preset(request: HttpRequest, people: QuerySet[Person]) -> dict:
    """``?person=<pk>`` (a link naming the person) selects them in the picker."""
    chosen = request.GET.get("person", "")
    return {"person": people.first()} if chosen.isdigit() and request.method != "POST" else {}


@require_perm("accounts.manage")
def user_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an existing account to a person (or to another person)."""
    account = get_object_or_404(User.objects.select_related("person"), pk=pk)
    people, search = person_picker(request)
    form = LinkPersonForm(request.POST or None, people=people, initial=preset(request, people))
    if request.method == "POST" and form.is_valid():
        try:
            services.link_person(request.user, account.pk, form.cleaned_data["person"])
        except separation.Refused as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("账号 %(username)s 已关联人员 %(name)s")
                % {"username": account.username, "name": form.cleaned_data["person"].name},
            )
            return redirect("accounts:users")
    intro = (
        _("账号 %(username)s 当前关联 %(name)s；选择其他人员即改为关联该人员。")
        % {"username": account.username, "name": account.person.name}
        if account.person_id
        else _("账号 %(username)s 尚未关联人员。") % {"username": account.username}
    )
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("关联人员"),
            "intro": intro,
            "search": search,
            "cancel_url": reverse("accounts:users"),
        },
    )


@require_POST
@require_perm("accounts.manage")
def user_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        services.link_person(request.user, account.pk, None)
    except (separation.Refused, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("账号 %(username)s 已解除与人员的关联") % {"username": account.username})
    return redirect("accounts:users")

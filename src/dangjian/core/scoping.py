"""Helpers every view and endpoint uses to stay inside the user's scope."""

from __future__ import annotations

from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from dangjian.accounts.scope import has_perm

M = TypeVar("M", bound=models.Model)


def require_perm(perm: str):
    """Anonymous users go to the login page; users without the permission get 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise Http404(_("页面不存在"))
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_visible(queryset: models.QuerySet[M], user, perm: str, **lookup: Any) -> M:
    """Same answer for "does not exist" and "not yours": 404."""
    try:
        return queryset.visible_to(user, perm).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("对象不存在")) from None


def recheck(queryset: models.QuerySet[M], user, perm: str, pk) -> M:
    """Inside a write transaction: re-read the row in scope and lock it."""
    qs = queryset.visible_to(user, perm).filter(pk=pk)
    obj = qs.select_for_update().first()
    if obj is None:
        raise Http404(_("对象不存在"))
    return obj

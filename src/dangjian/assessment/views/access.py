"""Who opens these pages: the committee office over the whole tree (systems bind every organisation)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dangjian.core.scoping import require_perm

from ..services import MANAGE, may_manage


def office_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous users log in; anyone else but the whole tree's office is told the page does not exist (404)."""

    @require_perm(MANAGE)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_manage(request.user):
            raise Http404(_("页面不存在"))
        return view(request, *args, **kwargs)

    return wrapped

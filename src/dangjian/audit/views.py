from __future__ import annotations

from datetime import datetime, time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date

from dangjian.core.scoping import require_perm

from .models import AuditAction, AuditEvent
from .services import verify_chain


@require_perm("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = AuditEvent.objects.all()
    p = request.GET
    errors = []
    if p.get("actor"):
        qs = qs.filter(actor_name__icontains=p["actor"].strip())
    if p.get("action") in AuditAction.values:
        qs = qs.filter(action=p["action"])
    if p.get("object_type"):
        qs = qs.filter(object_type=p["object_type"].strip())
    if p.get("object"):
        qs = qs.filter(object_repr__icontains=p["object"].strip())
    if p.get("request_id"):
        qs = qs.filter(request_id=p["request_id"].strip())
    for key, op in (("since", "gte"), ("until", "lte")):
        if p.get(key):
            d = parse_date(p[key])
            if d is None:
                errors.append(f"日期格式应为 YYYY-MM-DD：{p[key]}")
            else:
                moment = datetime.combine(d, time.min if op == "gte" else time.max)
                qs = qs.filter(**{f"at__{op}": timezone.make_aware(moment)})
    page = Paginator(qs.order_by("-id"), 50).get_page(p.get("page"))
    params = p.copy()
    params.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "page": page,
            "params": p,
            "errors": errors,
            "actions": AuditAction.choices,
            "querystring_base": params.urlencode() + "&" if params else "",
        },
    )


@require_perm("audit.view")
def audit_verify(request: HttpRequest) -> HttpResponse:
    intact, broken_at = verify_chain()
    return render(
        request,
        "audit/verify.html",
        {"intact": intact, "broken_at": broken_at, "count": AuditEvent.objects.count()},
    )

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from dangjian.accounts.scope import assignments_of, has_perm
from dangjian.care.alerts import alerts as care_alerts
from dangjian.compliance.home import due_items
from dangjian.development.home import alert as development_alert
from dangjian.dues.alerts import arrears_alerts
from dangjian.health.alerts import alerts as health_alerts
from dangjian.orgs.models import Organization
from dangjian.orgs.warnings import warnings_for
from dangjian.people.models import Person
from dangjian.transfers.alerts import alerts as transfer_alerts


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    counts: dict[str, int | None] = {}
    warnings: list = []
    if has_perm(user, "orgs.view"):
        orgs = Organization.objects.visible_to(user).active()
        counts["orgs"] = orgs.count()
        counts["branches"] = orgs.filter(kind="branch").count()
        branches = list(orgs.filter(kind__in=["branch", "general_branch", "committee"]).order_by("path")[:500])
        warnings = [(org, w) for org, ws in warnings_for(branches, timezone.localdate()).items() for w in ws][:20]
    if has_perm(user, "people.view") and not _self_only(user):
        people = Person.objects.visible_to(user)
        counts["people"] = people.count()
        counts["members"] = people.filter(political_status="member").count()
        counts["probationary"] = people.filter(political_status="probationary").count()
    return render(
        request,
        "core/home.html",
        {
            "assignments": assignments_of(user),
            "counts": counts,
            "warnings": warnings,
            "own_person": user.person if user.person_id and has_perm(user, "people.view") else None,
            "due_items": due_items(user, today),
            "development_alert": development_alert(user, today),
            "member_alerts": _member_alerts(user, today),
        },
    )


def _member_alerts(user, today: date) -> list[tuple[str, str, str]]:
    """What needs the user's action beyond organisational life: 6 months of unpaid dues, transfers waiting,
    lost-contact decisions due, care obligations (五必问/五必谈/五必访) due or late, health follow-ups due or late.

    (level, text, url); each source runs a constant number of queries.
    """
    alerts = [("late", a.message, a.url) for a in arrears_alerts(user, today, limit=10)]
    alerts += [(a.level, a.text, a.url) for a in transfer_alerts(user, today, limit=10)]
    alerts += [(a.level, a.text, a.url) for a in care_alerts(user, today, limit=10)]
    alerts += [(a.level, a.text, a.url) for a in health_alerts(user, today, limit=10)]
    return sorted(alerts, key=lambda a: a[0] != "late")


def _self_only(user) -> bool:
    return all(a.role == "member" for a in assignments_of(user) if a.role != "auditor")


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: in production the hashed name exists only after collectstatic.
    return redirect(static("core/favicon.svg"), permanent=False)

from django.urls import include, path

from dangjian.api.urls import api
from dangjian.core.views import favicon

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("people/", include("dangjian.people.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("meetings/", include("dangjian.meetings.urls")),
    path("compliance/", include("dangjian.compliance.urls")),
    path("appraisal/", include("dangjian.appraisal.urls")),
    path("development/", include("dangjian.development.urls")),
    path("dues/", include("dangjian.dues.urls")),
    path("transfers/", include("dangjian.transfers.urls")),
    path("care/", include("dangjian.care.urls")),
    path("rules/", include("dangjian.rules.urls")),
    path("health/", include("dangjian.health.urls")),
    path("life/", include("dangjian.talks.urls")),
    path("facts/", include("dangjian.facts.urls")),
    path("assessment/", include("dangjian.assessment.urls")),
    path("integration/", include("dangjian.integration.urls")),
    path("work-plan/", include("dangjian.workplan.urls")),
    path("talent/", include("dangjian.talent.urls")),
    path("ledger/", include("dangjian.ledger.urls")),
    path("stats/", include("dangjian.stats.urls")),
    path("dashboard/", include("dangjian.dashboard.urls")),
    path("submissions/", include("dangjian.submissions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("favicon.ico", favicon, name="favicon"),
]

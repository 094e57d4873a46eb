from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from dangjian.api.urls import api

urlpatterns = [
    path("", include("dangjian.core.urls")),
    path("accounts/", include("dangjian.accounts.urls")),
    path("orgs/", include("dangjian.orgs.urls")),
    path("people/", include("dangjian.people.urls")),
    path("audit/", include("dangjian.audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("favicon.ico", RedirectView.as_view(url=static("core/favicon.svg")), name="favicon"),
]

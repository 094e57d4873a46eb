"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

# 党员示范岗 and 党员责任区 (posts)
from .views import posts as post_views  # noqa: E402
from .views import zones as zone_views  # noqa: E402

urlpatterns += [
    path("posts/", post_views.post_list, name="post_list"),
    path("posts/public/", post_views.post_public, name="post_public"),
    path("posts/new/", post_views.post_create, name="post_create"),
    path("posts/<int:pk>/", post_views.post_detail, name="post_detail"),
    path("posts/<int:pk>/approve/", post_views.post_approve, name="post_approve"),
    path("posts/<int:pk>/reject/", post_views.post_reject, name="post_reject"),
    path("posts/<int:pk>/review/", post_views.post_review, name="post_review"),
    path("posts/<int:pk>/withdraw/", post_views.post_withdraw, name="post_withdraw"),
    path("zones/", zone_views.zone_list, name="zone_list"),
    path("zones/public/", zone_views.zone_public, name="zone_public"),
    path("zones/new/", zone_views.zone_create, name="zone_create"),
    path("zones/<int:pk>/", zone_views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/report/", zone_views.zone_report, name="zone_report"),
    path("zones/<int:pk>/end/", zone_views.zone_end, name="zone_end"),
]

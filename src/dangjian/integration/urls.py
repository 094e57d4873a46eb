"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

# 支部共建, 联席 and the links of meetings and contact points to business work (joint helper)
from .views import joint as joint_views  # noqa: E402
from .views import liaisons as liaison_views  # noqa: E402
from .views import links as link_views  # noqa: E402

urlpatterns += [
    path("partners/", joint_views.partner_list, name="partner_list"),
    path("partners/new/", joint_views.partner_create, name="partner_create"),
    path("partners/<int:pk>/", joint_views.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", joint_views.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/agreements/new/", joint_views.joint_create, name="joint_create"),
    path("joint/", joint_views.joint_list, name="joint_list"),
    path("joint/<int:pk>/", joint_views.joint_detail, name="joint_detail"),
    path("joint/<int:pk>/edit/", joint_views.joint_edit, name="joint_edit"),
    path("joint/<int:pk>/end/", joint_views.joint_end, name="joint_end"),
    path("joint/<int:pk>/activities/new/", joint_views.joint_activity_create, name="joint_activity_create"),
    path("joint/activities/<int:pk>/evidence/new/", joint_views.joint_evidence_add, name="joint_evidence_add"),
    path("liaisons/", liaison_views.liaison_list, name="liaison_list"),
    path("liaisons/new/", liaison_views.liaison_create, name="liaison_create"),
    path("liaisons/leaders/", liaison_views.liaison_leaders, name="liaison_leaders"),
    path("liaisons/<int:pk>/", liaison_views.liaison_detail, name="liaison_detail"),
    path("liaisons/<int:pk>/done/", liaison_views.liaison_done, name="liaison_done"),
    path("links/meetings/<int:pk>/", link_views.link_meeting, name="link_meeting"),
    path("links/contact-points/<int:pk>/", link_views.link_contact_point, name="link_contact_point"),
    path("links/projects/<int:pk>/", link_views.link_project, name="link_project"),
    path("links/activity/<int:pk>/remove/", link_views.link_activity_remove, name="link_activity_remove"),
    path("links/contact/<int:pk>/remove/", link_views.link_contact_remove, name="link_contact_remove"),
]

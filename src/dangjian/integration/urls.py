"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

from .hub import hub  # noqa: E402

urlpatterns += [path("", hub, name="hub")]

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

# 主业、业务流程环节与重点任务 (issue 15 §1)
from .views import business  # noqa: E402

urlpatterns += [
    path("lines/", business.line_list, name="line_list"),
    path("lines/new/", business.line_create, name="line_create"),
    path("lines/<int:pk>/edit/", business.line_edit, name="line_edit"),
    path("lines/<int:pk>/stages/new/", business.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", business.stage_edit, name="stage_edit"),
    path("projects/", business.project_list, name="project_list"),
    path("projects/export/", business.project_export, name="project_export"),
    path("projects/new/", business.project_create, name="project_create"),
    path("projects/import/", business.project_import, name="project_import"),
    path("projects/import/template/", business.project_template, name="project_template"),
    path("projects/<int:pk>/", business.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", business.project_edit, name="project_edit"),
    path("projects/<int:pk>/delete/", business.project_delete, name="project_delete"),
    path("projects/<int:pk>/organizations/", business.project_add_organization, name="project_add_organization"),
    path(
        "projects/<int:pk>/organizations/<int:org_pk>/remove/",
        business.project_remove_organization,
        name="project_remove_organization",
    ),
    path("projects/<int:pk>/people/", business.project_add_person, name="project_add_person"),
    path(
        "projects/<int:pk>/people/<int:person_pk>/remove/",
        business.project_remove_person,
        name="project_remove_person",
    ),
    path("projects/<int:pk>/milestones/", business.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", business.milestone_done, name="milestone_done"),
]

# 党员突击队/攻关团队 and pledges (亮身份、守承诺、作表率)
from .views import pledges as pledge_views  # noqa: E402
from .views import taskforces as taskforce_views  # noqa: E402

urlpatterns += [
    path("taskforces/", taskforce_views.taskforce_list, name="taskforce_list"),
    path("taskforces/new/", taskforce_views.taskforce_create, name="taskforce_create"),
    path("taskforces/<int:pk>/", taskforce_views.taskforce_detail, name="taskforce_detail"),
    path("taskforces/<int:pk>/notice.docx", taskforce_views.taskforce_notice, name="taskforce_notice"),
    path("taskforces/<int:pk>/edit/", taskforce_views.taskforce_edit, name="taskforce_edit"),
    path("taskforces/<int:pk>/flag/", taskforce_views.taskforce_flag, name="taskforce_flag"),
    path("taskforces/<int:pk>/roster/add/", taskforce_views.taskforce_member_add, name="taskforce_member_add"),
    path("taskforces/roster/<int:pk>/leave/", taskforce_views.taskforce_member_leave, name="taskforce_member_leave"),
    path("taskforces/<int:pk>/report/", taskforce_views.taskforce_report, name="taskforce_report"),
    path("taskforces/<int:pk>/disband/", taskforce_views.taskforce_disband, name="taskforce_disband"),
    path("pledges/", pledge_views.pledge_public, name="pledge_public"),
    path("pledges/mine/", pledge_views.pledge_mine, name="pledge_mine"),
    path("pledges/mine/new/", pledge_views.pledge_write, name="pledge_write"),
    path("pledges/review/", pledge_views.pledge_review, name="pledge_review"),
    path("pledges/enter/", pledge_views.pledge_enter, name="pledge_enter"),
    path("pledges/<int:pk>/", pledge_views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pk>/edit/", pledge_views.pledge_edit, name="pledge_edit"),
    path("pledges/<int:pk>/submit/", pledge_views.pledge_submit, name="pledge_submit"),
    path("pledges/<int:pk>/approve/", pledge_views.pledge_approve, name="pledge_approve"),
    path("pledges/<int:pk>/return/", pledge_views.pledge_return, name="pledge_return"),
    path("pledges/<int:pk>/fulfilment/", pledge_views.pledge_fulfil, name="pledge_fulfil"),
]

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

from .views import evidence as evidence_views  # noqa: E402
from .views import matrix as matrix_views  # noqa: E402

# the integration matrix (融合矩阵) and the evidence files of every carrier
urlpatterns += [
    path("matrix/", matrix_views.matrix, name="matrix"),
    path("matrix/cell/", matrix_views.matrix_cell, name="matrix_cell"),
    path("matrix/export/", matrix_views.matrix_export, name="matrix_export"),
    path("evidence/<int:pk>/", evidence_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/withdraw/", evidence_views.evidence_withdraw, name="evidence_withdraw"),
]

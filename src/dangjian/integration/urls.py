"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

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

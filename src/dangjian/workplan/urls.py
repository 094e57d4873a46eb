"""The yearly work plan's pages, under ``/work-plan/`` (namespace ``workplan``)."""

from django.urls import path

from .views import deployments, documents, items, plans

app_name = "workplan"
urlpatterns: list = []

urlpatterns += [
    path("", plans.plans, name="plans"),
    path("new/", plans.plan_create, name="plan_create"),
    path("derive/", plans.plan_derive, name="plan_derive"),
    path("<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("<int:pk>/publish/", plans.plan_publish, name="plan_publish"),
    path("<int:pk>/plan.docx", documents.plan_docx, name="plan_docx"),
    path("<int:pk>/summary.docx", documents.plan_summary_docx, name="plan_summary_docx"),
    path("<int:pk>/deployments.xlsx", documents.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/move/", items.item_move, name="item_move"),
    path("items/<int:pk>/deploy/", items.item_deploy, name="item_deploy"),
    path("deployments/", deployments.deployments, name="deployments"),
    path("deployments/<int:pk>/report/", deployments.deployment_report, name="deployment_report"),
    path("deployments/<int:pk>/done/", deployments.deployment_done, name="deployment_done"),
    path("deployments/<int:pk>/cancel/", deployments.deployment_cancel, name="deployment_cancel"),
]

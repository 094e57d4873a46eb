"""The pages of party work inside the business, under ``/integration/`` (namespace ``integration``).

Each part appends its own block below.
"""

from django.urls import path  # noqa: F401

app_name = "integration"
urlpatterns: list = []

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

from django.urls import path

from . import rectifying_views, views

app_name = "orgs"
urlpatterns = [
    path("", views.org_list, name="list"),
    path("tree/", views.org_list, name="tree"),
    path("departments/", views.department_list, name="departments"),
    path("<int:pk>/", views.org_detail, name="detail"),
    path("<int:parent_pk>/new/", views.org_create, name="create"),
    path("<int:pk>/edit/", views.org_edit, name="edit"),
    path("<int:pk>/dissolve/", views.org_dissolve, name="dissolve"),
    path("<int:pk>/terms/new/", views.term_create, name="term_create"),
    path("<int:pk>/terms/shift/", views.term_shift, name="term_shift"),
    # 软弱涣散 整顿: the committee office's (rectifying_views)
    path("<int:pk>/rectifying/", rectifying_views.rectifying_start, name="rectifying_start"),
    path("<int:pk>/rectifying/lift/", rectifying_views.rectifying_lift, name="rectifying_lift"),
]

from django.urls import path

from . import views

app_name = "stats"
urlpatterns: list = [
    path("", views.report, name="report"),
    path("<int:org_pk>/<int:year>/", views.org_report, name="org_report"),
    path("<int:org_pk>/<int:year>/cell/<str:table>/<str:row>/<str:col>/", views.cell, name="cell"),
    path("<int:org_pk>/<int:year>/branches/", views.branches, name="branches"),
    path("<int:org_pk>/<int:year>/report.xlsx", views.export_report, name="export"),
    path("<int:org_pk>/<int:year>/branches.xlsx", views.export_branches, name="export_branches"),
]

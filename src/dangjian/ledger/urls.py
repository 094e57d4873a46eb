"""The ledger's pages, under ``/ledger/`` (namespace ``ledger``)."""

from django.urls import path

from . import views

app_name = "ledger"
urlpatterns: list = []

urlpatterns += [
    path("", views.index, name="index"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path("organizations/<int:pk>/generate/", views.generate, name="generate"),
    path("organizations/<int:pk>/summary/", views.summary_edit, name="summary"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/<str:fmt>/", views.download, name="download"),
]

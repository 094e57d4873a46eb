from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("print/", views.printable, name="print"),
    path("screen/", views.screen, name="screen"),
    path("progress/<uuid:pk>/", views.progress, name="progress"),
    path("refresh/<int:pk>/", views.refresh, name="refresh"),
]

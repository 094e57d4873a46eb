from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/", views.step_record, name="step"),
    path("<int:pk>/contact/", views.contact_add, name="contact"),
    path("<int:pk>/override/", views.override_add, name="override"),
]

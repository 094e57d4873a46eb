from django.urls import path

from .views import life as views

app_name = "life"
urlpatterns = [
    path("hours/", views.hours, name="hours"),
    path("hours/study/new/", views.study_create, name="study_create"),
    path("hours/rates/", views.hour_rates, name="hour_rates"),
    path("talks/", views.talks, name="talks"),
    path("talks/new/", views.talk_create, name="talk_create"),
    path("contact-points/", views.contact_points, name="contact_points"),
    path("contact-points/new/", views.contact_point_create, name="contact_point_create"),
    path("contact-points/<int:pk>/visits/new/", views.visit_create, name="visit_create"),
]

"""The pages under ``/life/``: their paths and names (namespace ``life``) are public — links people saved,
printed QR codes and scripts use them — so they stayed when the pages moved to this app."""

from django.urls import path

from .views import contact_points, hours, talks

app_name = "life"
urlpatterns = [
    path("hours/", hours.hours, name="hours"),
    path("hours/study/new/", hours.study_create, name="study_create"),
    path("hours/rates/", hours.hour_rates, name="hour_rates"),
    path("talks/", talks.talks, name="talks"),
    path("talks/new/", talks.talk_create, name="talk_create"),
    path("contact-points/", contact_points.contact_points, name="contact_points"),
    path("contact-points/new/", contact_points.contact_point_create, name="contact_point_create"),
    path("contact-points/<int:pk>/visits/new/", contact_points.visit_create, name="visit_create"),
]

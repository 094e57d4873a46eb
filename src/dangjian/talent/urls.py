"""The talent pages under ``/talent/`` (namespace ``talent``)."""

from django.urls import path

from .views import classes, mentorships, reserve

app_name = "talent"
urlpatterns = [
    path("reserve/", reserve.reserve_list, name="reserve_list"),
    path("reserve/new/", reserve.reserve_add, name="reserve_add"),
    path("reserve/<int:pk>/", reserve.reserve_detail, name="reserve_detail"),
    path("reserve/<int:pk>/records/new/", reserve.reserve_record_add, name="reserve_record_add"),
    path("reserve/<int:pk>/status/", reserve.reserve_move, name="reserve_move"),
    path("mentorships/", mentorships.mentorship_list, name="mentorship_list"),
    path("mentorships/new/", mentorships.mentorship_add, name="mentorship_add"),
    path("mentorships/<int:pk>/", mentorships.mentorship_detail, name="mentorship_detail"),
    path("mentorships/<int:pk>/reviews/", mentorships.mentorship_review, name="mentorship_review"),
    path("mentorships/<int:pk>/close/", mentorships.mentorship_close, name="mentorship_close"),
    path("classes/", classes.class_list, name="class_list"),
    path("classes/new/", classes.class_add, name="class_add"),
    path("classes/<int:pk>/", classes.class_detail, name="class_detail"),
    path("classes/<int:pk>/students/", classes.class_enroll, name="class_enroll"),
    path("classes/<int:pk>/sessions/new/", classes.class_session_add, name="class_session_add"),
    path("classes/<int:pk>/graduate/", classes.class_graduate, name="class_graduate"),
    path("students/<int:pk>/withdraw/", classes.class_student_withdraw, name="class_student_withdraw"),
]

from django.urls import path

from . import views

app_name = "appraisal"
urlpatterns = [
    path("", views.appraisal_list, name="list"),
    path("new/", views.appraisal_open, name="open"),
    path("<int:pk>/", views.appraisal_detail, name="detail"),
    path("<int:pk>/mine/", views.my_review, name="mine"),
    path("<int:pk>/vote/start/", views.start_vote, name="start_vote"),
    path("<int:pk>/vote/", views.record_vote, name="vote"),
    path("<int:pk>/propose/", views.propose, name="propose"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]

from django.urls import path

from . import lost_views, views

app_name = "transfers"
urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("new/", views.transfer_new, name="new"),
    path("incoming/new/", views.transfer_incoming, name="incoming"),
    path("<int:pk>/", views.transfer_detail, name="detail"),
    path("<int:pk>/letter.docx", views.transfer_letter, name="letter"),
    path("<int:pk>/<str:action>/", views.transfer_action, name="action"),
    path("lost/", lost_views.lost_list, name="lost_list"),
    path("lost/new/", lost_views.lost_open, name="lost_open"),
    path("lost/<int:pk>/", lost_views.lost_detail, name="lost_detail"),
    path("lost/<int:pk>/contact/", lost_views.lost_contact_add, name="lost_contact"),
    path("lost/<int:pk>/close/", lost_views.lost_close, name="lost_close"),
    path("lost/<int:pk>/decide/<str:kind>/", lost_views.lost_decide, name="lost_decide"),
]

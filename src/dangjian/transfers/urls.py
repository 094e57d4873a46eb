from django.urls import path

from .views import lost, transfers

app_name = "transfers"
urlpatterns = [
    path("", transfers.transfer_list, name="list"),
    path("new/", transfers.transfer_new, name="new"),
    path("incoming/new/", transfers.transfer_incoming, name="incoming"),
    path("<int:pk>/", transfers.transfer_detail, name="detail"),
    path("<int:pk>/letter.docx", transfers.transfer_letter, name="letter"),
    path("<int:pk>/<str:action>/", transfers.transfer_action, name="action"),
    path("lost/", lost.lost_list, name="lost_list"),
    path("lost/new/", lost.lost_open, name="lost_open"),
    path("lost/<int:pk>/", lost.lost_detail, name="lost_detail"),
    path("lost/<int:pk>/contact/", lost.lost_contact_add, name="lost_contact"),
    path("lost/<int:pk>/close/", lost.lost_close, name="lost_close"),
    path("lost/<int:pk>/decide/<str:kind>/", lost.lost_decide, name="lost_decide"),
]

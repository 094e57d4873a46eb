from django.urls import path

from .views import checkin, exemptions, files, lifecycle, pages

app_name = "meetings"
urlpatterns = [
    path("", pages.meeting_list, name="list"),
    path("new/", pages.meeting_create, name="create"),
    path("<int:pk>/", pages.meeting_detail, name="detail"),
    path("<int:pk>/edit/", pages.meeting_edit, name="edit"),
    path("<int:pk>/attendance/", lifecycle.attendance, name="attendance"),
    path("<int:pk>/held/", lifecycle.mark_held, name="held"),
    path("<int:pk>/minutes/", lifecycle.minutes, name="minutes"),
    path("<int:pk>/lock/", lifecycle.lock, name="lock"),
    path("<int:pk>/amend/", lifecycle.amend, name="amend"),
    path("<int:pk>/cancel/", lifecycle.cancel, name="cancel"),
    path("<int:pk>/attachments/", files.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", files.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", files.attachment_remove, name="attachment_remove"),
    path("<int:pk>/qr/", checkin.qr_screen, name="qr"),
    path("checkin/<str:token>/", checkin.checkin, name="checkin"),
    path("exemptions/", exemptions.exemption_list, name="exemptions"),
    path("exemptions/new/", exemptions.exemption_create, name="exemption_create"),
    path("exemptions/<int:exemption_pk>/withdraw/", exemptions.exemption_withdraw, name="exemption_withdraw"),
]

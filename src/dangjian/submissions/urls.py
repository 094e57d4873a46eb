"""请示报告 pages, under ``/submissions/`` (namespace ``submissions``)."""

from django.urls import path

from .views import actions, detail, lists

app_name = "submissions"
urlpatterns: list = []

urlpatterns += [
    path("", lists.submission_list, name="list"),
    path("export.xlsx", lists.submission_export, name="export"),
    path("new/", actions.submission_new, name="new"),
    path("<int:pk>/", detail.submission_detail, name="detail"),
    path("<int:pk>/edit/", actions.submission_edit, name="edit"),
    path("<int:pk>/send/", actions.submission_send, name="send"),
    path("<int:pk>/withdraw/", actions.submission_withdraw, name="withdraw"),
    path("<int:pk>/resubmit/", actions.submission_resubmit, name="resubmit"),
    path("<int:pk>/receive/", actions.submission_receive, name="receive"),
    path("<int:pk>/answer/", actions.submission_answer, name="answer"),
    path("<int:pk>/document.docx", detail.submission_docx_view, name="docx"),
    path("<int:pk>/attachments/", detail.attachment_upload, name="attachment_upload"),
    path("<int:pk>/attachments/<int:attachment_pk>/", detail.attachment_download, name="attachment"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", detail.attachment_remove, name="attachment_remove"),
]

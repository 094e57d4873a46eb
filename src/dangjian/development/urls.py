from django.urls import path

from . import report_views, views

app_name = "development"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("funnel/", report_views.funnel_page, name="funnel"),
    path("due/", report_views.due_soon_list, name="due"),
    path("overdue/", report_views.overdue_list, name="overdue"),
    path("export.xlsx", report_views.export_xlsx, name="export"),
    path("new/", views.case_open, name="open"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/step/", views.step_record, name="step"),
    path("<int:pk>/contact/", views.contact_add, name="contact"),
    path("<int:pk>/override/", views.override_add, name="override"),
    path("<int:pk>/review/", views.review_add, name="review"),
    path("<int:pk>/extension/", views.extension_add, name="extension"),
    path("<int:pk>/notice.docx", report_views.notice_docx, name="notice"),
    path("<int:pk>/request.docx", report_views.request_docx, name="request"),
]

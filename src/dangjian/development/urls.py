from django.urls import path

from .views import cases, reports

app_name = "development"
urlpatterns = [
    path("", cases.case_list, name="list"),
    path("funnel/", reports.funnel_page, name="funnel"),
    path("due/", reports.due_soon_list, name="due"),
    path("overdue/", reports.overdue_list, name="overdue"),
    path("export.xlsx", reports.export_xlsx, name="export"),
    path("new/", cases.case_open, name="open"),
    path("<int:pk>/", cases.case_detail, name="detail"),
    path("<int:pk>/step/", cases.step_record, name="step"),
    path("<int:pk>/contact/", cases.contact_add, name="contact"),
    path("<int:pk>/override/", cases.override_add, name="override"),
    path("<int:pk>/review/", cases.review_add, name="review"),
    path("<int:pk>/extension/", cases.extension_add, name="extension"),
    path("<int:pk>/departure/", cases.departure_set, name="departure"),
    path("<int:pk>/notice.docx", reports.notice_docx, name="notice"),
    path("<int:pk>/request.docx", reports.request_docx, name="request"),
]

urlpatterns += [
    path("<int:pk>/cancellation/", cases.cancellation_add, name="cancellation"),
]

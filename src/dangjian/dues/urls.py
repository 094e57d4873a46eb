from django.urls import path

from . import views, views_write

app_name = "dues"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("arrears/", views.arrears, name="arrears"),
    path("summary/", views.summary, name="summary"),
    path("export/", views.export, name="export"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("person/<int:person_id>/payment/", views_write.payment_new, name="payment_new"),
    path("person/<int:person_id>/base/", views_write.base_set, name="base_set"),
    path("person/<int:person_id>/relief/", views_write.relief_new, name="relief_new"),
    path("payment/<int:pk>/void/", views_write.payment_void, name="payment_void"),
    path("reliefs/", views_write.reliefs, name="reliefs"),
    path("reliefs/<int:pk>/decide/", views_write.relief_decide, name="relief_decide"),
    path("import/", views_write.import_pay_sheet, name="import"),
    path("import/template/", views_write.import_template, name="import_template"),
]

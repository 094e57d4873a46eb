from django.urls import path

from .views import collection, entries, ledger

app_name = "dues"
urlpatterns = [
    path("", ledger.ledger, name="ledger"),
    path("arrears/", ledger.arrears, name="arrears"),
    path("summary/", ledger.summary, name="summary"),
    path("export/", ledger.export, name="export"),
    path("person/<int:person_id>/", ledger.person, name="person"),
    path("person/<int:person_id>/payment/", entries.payment_new, name="payment_new"),
    path("person/<int:person_id>/base/", entries.base_set, name="base_set"),
    path("person/<int:person_id>/relief/", entries.relief_new, name="relief_new"),
    path("payment/<int:pk>/void/", entries.payment_void, name="payment_void"),
    path("reliefs/", entries.reliefs, name="reliefs"),
    path("reliefs/<int:pk>/decide/", entries.relief_decide, name="relief_decide"),
    path("import/", entries.import_pay_sheet, name="import"),
    path("import/template/", entries.import_template, name="import_template"),
    path("collection/", collection.collection_pick, name="collection_pick"),
    path("collection/<int:org_id>/", collection.collection_branch, name="collection"),
    path("payroll/", collection.payroll, name="payroll"),
    path("payroll/template/", collection.payroll_template, name="payroll_template"),
]

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("systems/", views.system_list, name="systems"),
    path("systems/import/", views.import_page, name="import"),
    path("systems/template/", views.template, name="template"),
    path("systems/<int:pk>/", views.detail, name="detail"),
    path("systems/<int:pk>/export/", views.export, name="export"),
    path("systems/<int:pk>/publish/", views.publish, name="publish"),
    path("systems/<int:pk>/new-version/", views.new_version, name="new_version"),
    path("systems/<int:pk>/retire/", views.retire, name="retire"),
    # 一支部一特色
    path("brands/", views.brand_list, name="brands"),
    path("brands/new/", views.brand_new, name="brand_new"),
    path("brands/<int:pk>/", views.brand_detail, name="brand"),
    path("brands/<int:pk>/edit/", views.brand_edit, name="brand_edit"),
    path("brands/<int:pk>/submit/", views.brand_submit, name="brand_submit"),
    path("brands/<int:pk>/withdraw/", views.brand_withdraw, name="brand_withdraw"),
    path("brands/<int:pk>/review/", views.brand_review, name="brand_review"),
    path("brands/<int:pk>/evidence/", views.evidence_add, name="brand_evidence_add"),
    path("brand-evidence/<int:pk>/file/", views.evidence_file, name="brand_evidence_file"),
    path("brand-evidence/<int:pk>/withdraw/", views.evidence_withdraw, name="brand_evidence_withdraw"),
]

from django.urls import path

from . import hardship_views, matter_views, rule_views, views

app_name = "care"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/withdraw/", views.event_withdraw, name="event_withdraw"),
    path("events/import/", views.import_page, name="import"),
    path("events/template.xlsx", views.import_template, name="template"),
    path("obligations/", views.obligation_list, name="obligations"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/new/", rule_views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("hardship/", hardship_views.register_list, name="hardship"),
    path("hardship/new/", hardship_views.register_new, name="hardship_new"),
    path("hardship/<int:pk>/", hardship_views.entry_detail, name="hardship_entry"),
    path("hardship/<int:pk>/withdraw/", hardship_views.entry_withdraw, name="hardship_withdraw"),
    path("matters/", matter_views.matter_list, name="matters"),
    path("matters/export.xlsx", matter_views.matter_export, name="matters_export"),
    path("matters/new/", matter_views.matter_new, name="matter_new"),
    path("matters/<int:pk>/", matter_views.matter_detail, name="matter"),
    path("matters/<int:pk>/edit/", matter_views.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/withdraw/", matter_views.matter_withdraw, name="matter_withdraw"),
    path("matters/<int:pk>/milestone/", matter_views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", matter_views.milestone_done, name="milestone_done"),
    path("matters/<int:pk>/evidence/", matter_views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", matter_views.evidence_file, name="evidence"),
]

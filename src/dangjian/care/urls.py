from django.urls import path

from .views import events, hardship, matters, rules

app_name = "care"
urlpatterns = [
    path("", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/withdraw/", events.event_withdraw, name="event_withdraw"),
    path("events/import/", events.import_page, name="import"),
    path("events/template.xlsx", events.import_template, name="template"),
    path("obligations/", events.obligation_list, name="obligations"),
    path("obligations/<int:pk>/", events.obligation_detail, name="obligation"),
    path("coverage/", events.coverage_page, name="coverage"),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/new/", rules.rule_edit, name="rule_new"),
    path("rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path("hardship/", hardship.register_list, name="hardship"),
    path("hardship/new/", hardship.register_new, name="hardship_new"),
    path("hardship/<int:pk>/", hardship.entry_detail, name="hardship_entry"),
    path("hardship/<int:pk>/withdraw/", hardship.entry_withdraw, name="hardship_withdraw"),
    path("matters/", matters.matter_list, name="matters"),
    path("matters/export.xlsx", matters.matter_export, name="matters_export"),
    path("matters/new/", matters.matter_new, name="matter_new"),
    path("matters/<int:pk>/", matters.matter_detail, name="matter"),
    path("matters/<int:pk>/edit/", matters.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/withdraw/", matters.matter_withdraw, name="matter_withdraw"),
    path("matters/<int:pk>/milestone/", matters.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/done/", matters.milestone_done, name="milestone_done"),
    path("matters/<int:pk>/evidence/", matters.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", matters.evidence_file, name="evidence"),
]

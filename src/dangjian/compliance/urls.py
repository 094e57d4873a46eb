from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.heatmap, name="heatmap"),
    path("org/<int:org_id>/", views.org_detail, name="org"),
    path("lapsed/", views.lapsed_list, name="lapsed"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    # links saved before the obligations moved into the rule store carry the old row's id: redirected (a code is
    # never all digits, so these come first)
    path("rules/<int:rule_id>/edit/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("rules/<str:code>/edit/", views.obligation_edit, name="obligation_edit"),
    path("rules/<str:code>/toggle/", views.obligation_toggle, name="obligation_toggle"),
    path("settings/<int:setting_id>/edit/", views.setting_edit, name="setting_edit"),
]

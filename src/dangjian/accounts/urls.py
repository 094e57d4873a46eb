from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/new/", views.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/revoke/", views.assignment_revoke, name="assignment_revoke"),
    path("policy/", views.security_policy, name="policy"),
    path("policy/unlock/<int:pk>/", views.unlock, name="unlock"),
]

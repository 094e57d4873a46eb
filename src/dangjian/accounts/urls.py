from django.contrib.auth import views as auth_views
from django.urls import path

from . import token_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
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
    path("second-factor/enrol/", views.otp_enrol, name="otp_enrol"),
    path("second-factor/", views.otp_devices, name="otp_devices"),
    path("second-factor/<int:pk>/reset/", views.otp_reset, name="otp_reset"),
]

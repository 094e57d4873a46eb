from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, linking, provision, tokens

app_name = "accounts"
urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("login/code/", accounts.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("password/", accounts.password_change, name="password_change"),
    path("users/", accounts.user_list, name="users"),
    path("users/new/", accounts.user_create, name="user_create"),
    path("users/<int:pk>/toggle/", accounts.user_toggle, name="user_toggle"),
    path("users/<int:pk>/password/", accounts.user_password, name="user_password"),
    path("users/<int:pk>/person/", linking.user_person, name="user_person"),
    path("users/<int:pk>/unlink/", linking.user_unlink, name="user_unlink"),
    path("provision/", provision.provision, name="provision"),
    path("provision/<int:org_id>/confirm/", provision.provision_confirm, name="provision_confirm"),
    path("provision/result/", provision.provision_result, name="provision_result"),
    path("provision/result/sheet.xlsx", provision.provision_xlsx, name="provision_xlsx"),
    path("provision/result/sheet.docx", provision.provision_docx, name="provision_docx"),
    path("provision/result/discard/", provision.provision_discard, name="provision_discard"),
    path("assignments/", accounts.assignment_list, name="assignments"),
    path("assignments/new/", accounts.assignment_create, name="assignment_create"),
    path("assignments/<int:pk>/revoke/", accounts.assignment_revoke, name="assignment_revoke"),
    path("policy/", accounts.security_policy, name="policy"),
    path("policy/unlock/<int:pk>/", accounts.unlock, name="unlock"),
    path("second-factor/enrol/", accounts.otp_enrol, name="otp_enrol"),
    path("second-factor/", accounts.otp_devices, name="otp_devices"),
    path("second-factor/<int:pk>/reset/", accounts.otp_reset, name="otp_reset"),
]

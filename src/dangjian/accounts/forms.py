from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import RoleAssignment, User
from .roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "用户名或密码错误，或账号已停用（长期未使用的账号会自动停用，请联系系统管理员）。"
            "连续失败 5 次将锁定 15 分钟。"
        ),
        "inactive": _("该账号已停用。"),
    }

    def get_invalid_login_error(self):
        # The directory vouched for the password but refused the account here (accounts.directory): say why.
        from .directory_config import REFUSAL_ATTR

        refused = getattr(self.request, REFUSAL_ATTR, None)
        if refused is not None:
            return forms.ValidationError(refused.message, code="directory_" + refused.code)
        return super().get_invalid_login_error()


class CodeForm(forms.Form):
    """The second factor: the authenticator's 6-digit code or one of the recovery codes."""

    otp = forms.CharField(
        label=_("动态验证码"),
        max_length=20,
        help_text=_("身份验证器显示的 6 位数字；手机不在身边时可输入一个恢复码。"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "class": "otp-code"}
        ),
    )


class EnrolForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp"].help_text = _("扫码或输入密钥后，身份验证器显示的 6 位数字。")


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label=_("用户名"),
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        error_messages={"invalid": _("用户名只能包含字母、数字和 _ . @ -，3 位以上")},
    )
    first_name = forms.CharField(label=_("姓名"), max_length=150, required=False)
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("账号持有人首次登录时须改为自己的密码")
    )
    person = forms.ModelChoiceField(
        label=_("关联人员"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=_("不关联（如管理员账号）"),
        help_text=_("账号属于哪名职工：关联后本人可查看自己的会议、党费和学习记录。管理员账号不关联人员"),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = person_label

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("用户名已存在"))
        return username

    def clean(self):
        data = super().clean()
        if data.get("person") and not data.get("first_name"):
            data["first_name"] = data["person"].name
        if data.get("password"):
            try:
                validate_password(data["password"], User(username=data.get("username", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


def person_label(person: Person) -> str:
    """How a person is told apart from namesakes in a picker: 工号, department and the masked ID number."""
    parts = [person.employee_no and _("工号 %(no)s") % {"no": person.employee_no}, person.masked_id_number]
    if person.department_id:
        parts.insert(1, person.department.name)
    return f"{person.name}（{' · '.join(str(p) for p in parts if p)}）"


class LinkPersonForm(forms.Form):
    person = forms.ModelChoiceField(label=_("关联人员"), queryset=Person.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = person_label


class OwnPasswordForm(PasswordChangeForm):
    """The holder's own change: the current password, then the new one twice (checked by the policy)."""


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organization", "subtree"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["user"].label = _("账号")
        self.fields["organization"].queryset = Organization.objects.order_by("path")
        self.fields["organization"].required = False
        self.fields["organization"].help_text = _("系统管理员、安全管理员、安全审计员不选范围；其他角色必选")
        self.fields["role"].choices = Role.choices

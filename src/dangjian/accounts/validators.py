from __future__ import annotations

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class PasswordPolicyValidator:
    """At least 8 characters mixing three of: upper case, lower case, digits, symbols (等保2.0 三级)."""

    def __init__(self, min_length: int = 8, min_classes: int = 3):
        self.min_length = min_length
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                _("密码长度不能少于 %(min_length)d 位") % {"min_length": self.min_length}, code="password_too_short"
            )
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)d 类")
                % {"min_classes": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码至少 %(min_length)d 位，须包含大写字母、小写字母、数字、符号中的至少 %(min_classes)d 类。") % {
            "min_length": self.min_length,
            "min_classes": self.min_classes,
        }

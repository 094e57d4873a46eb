"""The second factor: a TOTP authenticator (RFC 6238) and ten single-use recovery codes, by django-otp.

等保 三级 (GB/T 22239-2019 8.1.4.1 d) asks privileged users for two factors, one of them cryptographic: the
password, then a code computed from a secret shared with the user's authenticator app (HMAC-SHA1 per RFC 6238;
an SM3-based one-time password per GM/T 0021 can follow as another device type). The roles named in the
setting ``DANGJIAN_2FA_ROLES`` must enrol; every enrolment, failed code and reset is an audit event, and a
failed code is a failed login for the lock-out (django-axes), so guessing codes locks the account like
guessing passwords.
"""

from __future__ import annotations

import base64
import re
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from dangjian.audit.services import record

from .models import User
from .scope import assignments_of

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery"
_TOTP_CODE = re.compile(r"\d{6}")


def requires_second_factor(user) -> bool:
    """Whether this account must enrol and give a code: it holds one of the roles in DANGJIAN_2FA_ROLES."""
    roles = set(settings.DANGJIAN_2FA_ROLES)
    return any(a.role in roles for a in assignments_of(user))


def authenticator_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if enrolled."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def new_secret() -> str:
    """A fresh 160-bit secret (RFC 4226 section 4 recommends 160 bits), hex as django-otp stores it."""
    return random_hex(20)


def base32_of(secret_hex: str) -> str:
    """The secret as authenticator apps take it (RFC 4648 base32, without padding)."""
    return base64.b32encode(bytes.fromhex(secret_hex)).decode().rstrip("=")


def hex_of(secret_base32: str) -> str:
    padded = secret_base32.upper() + "=" * (-len(secret_base32) % 8)
    return base64.b32decode(padded).hex()


def provisioning_uri(user, secret_hex: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=secret_hex).config_url


def normalise(code: str) -> str:
    """Codes are typed with spaces or dashes as often as without; recovery codes are lower-case base32."""
    return re.sub(r"[\s-]", "", code or "").lower()


def _code_matches(secret_hex: str, code: str) -> tuple[bool, int]:
    """Check a code against a secret not yet stored (enrolment); returns (matches, its time step)."""
    totp = TOTP(bytes.fromhex(secret_hex), step=30, t0=0, digits=6)
    totp.time = time.time()
    if not _TOTP_CODE.fullmatch(code):
        return False, -1
    # One step either way, as a stored device allows: a phone's clock is often a few seconds off.
    return bool(totp.verify(int(code), tolerance=1)), totp.t()


def enrol(user: User, secret_hex: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm an authenticator by its first code; returns the device and ten recovery codes, shown once.

    A wrong code is audited but is not a failed login: the user is looking at the secret, there is nothing
    to guess, and a fumbled first scan must not lock an administrator out.
    """
    code = normalise(code)
    matches, step = _code_matches(secret_hex, code)
    if not matches:
        record("login_failed", user, detail={"second_factor": "enrolment_code_wrong"})
        raise ValidationError(_("验证码不正确：请确认手机时间准确，并输入身份验证器当前显示的 6 位数字。"))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(_("该账号已绑定动态口令。"))
        # last_t: the code just used to confirm cannot log in again (RFC 6238 section 5.2).
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=secret_hex, confirmed=True, last_t=step)
        codes = _new_recovery_codes(user)
        record("update", user, detail={"second_factor": "enrolled", "recovery_codes": len(codes)})
    return device, codes


def enrol_fixed(user: User, secret_base32: str) -> TOTPDevice:
    """Enrol with a known secret and no recovery codes: demo administrators, whose secrets are published."""
    with transaction.atomic():
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=hex_of(secret_base32), confirmed=True)
        record("update", user, detail={"second_factor": "enrolled", "recovery_codes": 0, "fixed_secret": True})
    return device


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes: list[str] = []
    while len(codes) < RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


class CodeRefused(Exception):
    """The code was wrong, or the device is throttled after recent failures."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def verify(request: HttpRequest, user: User, code: str) -> TOTPDevice | StaticDevice:
    """Check a login code: six digits against the authenticator, anything else against the recovery codes.

    A refused code is a failed login: the ``user_login_failed`` signal records it for django-axes (which
    counts it toward the lock-out) and for the audit log, naming the factor.
    """
    code = normalise(code)
    kind = "totp" if _TOTP_CODE.fullmatch(code) else "recovery_code"
    with transaction.atomic():
        if kind == "totp":
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id").first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        allowed = device is not None and device.verify_is_allowed()[0]
        if allowed and device.verify_token(code):
            if kind == "recovery_code":
                left = device.token_set.count()
                record("update", user, detail={"second_factor": "recovery_code_used", "recovery_codes_left": left})
            return device
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username(), "second_factor": kind}, request=request
    )
    if device is not None and not allowed:
        raise CodeRefused(_("验证码错误次数过多，请稍等片刻再试。"))
    raise CodeRefused(_("验证码不正确。"))


def reset(actor, user_id: int) -> User:
    """The security administrator clears a user's enrolment: authenticator and recovery codes.

    The devices are credentials, not records: keeping a revoked secret would only keep it usable, so they
    are deleted; the audit event keeps who reset whose enrolment and when. The user enrols again at the
    next request, and any session verified with the old authenticator loses its verification.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        had = TOTPDevice.objects.filter(user=user).exists()
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record("update", user, detail={"second_factor": "reset", "was_enrolled": had})
    return user


def token_refusal(request: HttpRequest, user: User, code: str | None) -> str | None:
    """Why the API must not issue a token to this account yet, or None: the API asks the same second factor
    as the login page, in the field ``otp``."""
    if not requires_second_factor(user):
        return None
    if authenticator_of(user) is None:
        return _("该账号须先在网页登录并绑定动态口令")
    if not code:
        return _("该账号须提供动态验证码（otp）")
    try:
        verify(request, user, code)
    except CodeRefused as refused:
        return refused.message
    return None

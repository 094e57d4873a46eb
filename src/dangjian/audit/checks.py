"""System check: production mode refuses to start without a usable audit key (等保 三级: audit records protected
against modification; the chain's HMAC key is held outside the database, see ``chain``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from dangjian.core import keys

from .chain import ENV_NAME


@register(Tags.security)
def audit_key_check(app_configs=None, **kwargs):
    text = keys.configured_text(ENV_NAME)
    if not text:
        if getattr(settings, "PRODUCTION", False):
            return [
                Error(
                    f"生产模式必须设置环境变量 {ENV_NAME}（base64 编码的 32 字节随机密钥），审计日志需用它防篡改",
                    hint='python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"',
                    id="audit.E001",
                )
            ]
        return []
    try:
        keys.parse(text, ENV_NAME)
    except keys.KeyConfigError as exc:
        return [Error(str(exc), id="audit.E002")]
    return []

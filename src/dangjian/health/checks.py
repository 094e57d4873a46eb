"""System check: production mode refuses to start without a usable health key (PIPL art. 51: encryption).

``manage.py check --deploy`` and every management command run it; embedded mode only warns when it will create
the key file (see ``crypto``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from .crypto import ENV_NAME, HealthKeyError, configured_key_text, parse_key


@register(Tags.security)
def health_key_check(app_configs=None, **kwargs):
    text = configured_key_text()
    if not text:
        if getattr(settings, "PRODUCTION", False):
            return [
                Error(
                    f"生产模式必须设置环境变量 {ENV_NAME}（base64 编码的 32 字节随机密钥），体检数据需加密存储",
                    hint='python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"',
                    id="health.E001",
                )
            ]
        return []
    try:
        parse_key(text)
    except HealthKeyError as exc:
        return [Error(str(exc), id="health.E002")]
    return []

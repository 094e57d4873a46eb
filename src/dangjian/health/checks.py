"""System check: production mode refuses to start without usable field keys (PIPL art. 51: encryption).

``manage.py check --deploy`` and every management command run it; embedded mode only warns when it will create
the key file (see ``dangjian.crypto.keys``). The ids stay ``health.*``: the health values were the first to be
encrypted, and operators' runbooks name them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

from dangjian.crypto.keys import KEYS_ENV, configured_algorithm, configured_keys, parse_key
from dangjian.crypto.sealing import ALGORITHM_CODES, SealError


@register(Tags.security)
def health_key_check(app_configs=None, **kwargs):
    errors = []
    if configured_algorithm() not in ALGORITHM_CODES:
        errors.append(Error(f"DANGJIAN_FIELD_CIPHER 只能是 {'、'.join(ALGORITHM_CODES)}", id="health.E003"))
    configured = configured_keys()
    if not configured:
        if getattr(settings, "PRODUCTION", False):
            errors.append(
                Error(
                    f"生产模式必须设置环境变量 {KEYS_ENV}（base64 编码的 32 字节随机密钥），"
                    "体检、关怀等敏感数据需加密存储",
                    hint='python -c "import os, base64; print(base64.b64encode(os.urandom(32)).decode())"',
                    id="health.E001",
                )
            )
        return errors
    for source, text in configured:
        try:
            parse_key(text, source)
        except SealError as exc:
            errors.append(Error(str(exc), id="health.E002"))
    return errors

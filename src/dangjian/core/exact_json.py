"""JSON serialization for backup and restore that keeps every microsecond.

Django's own JSON format writes times to the millisecond, so a restored database
would differ from the one backed up (created_at and the like lose their last
three digits). This module replaces the "json" format (SERIALIZATION_MODULES)
with one that writes full ISO 8601 times; reading is Django's own.
"""

from __future__ import annotations

import datetime

from django.core.serializers import json as django_json
from django.core.serializers.json import Deserializer, DjangoJSONEncoder

__all__ = ["Serializer", "Deserializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            r = o.isoformat()
            return r[:-6] + "Z" if r.endswith("+00:00") else r
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        self.options.setdefault("cls", ExactEncoder)
        super()._init_options()

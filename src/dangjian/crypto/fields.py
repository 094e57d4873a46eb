"""A model field holding a text encrypted at rest; in Python it is a plain ``str``.

The column holds the sealed value (see ``sealing``), bound by its associated data to a fixed ``context`` naming the
field (e.g. ``care.hardship.reason``) — fixed, so that renaming the field or table never makes values unreadable.
Reading a row decrypts (~5 µs a value with SM4-GCM); writing encrypts under the newest key. The database cannot
filter or sort on such a column: search and ordering use the plain columns beside it.

Backups (``dumpdata``) carry the sealed value in base64, never the text; ``loaddata`` stores it back unchanged.
``audit.services.snapshot`` leaves sealed fields out, so the text never reaches the audit log.
"""

from __future__ import annotations

import base64
import binascii

from django.db import models

from .keys import ring
from .sealing import parse_header


def _serialized_sealed(value: str) -> bytes | None:
    """The sealed bytes of a backup's base64 value, or None when ``value`` is an ordinary text."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if parse_header(raw) is not None else None


class OpenedText(str):
    """A decrypted text that remembers the value it was read from: saved or backed up unchanged, it is written back
    as it was (no new encryption, the same bytes in every backup); any other ``str`` is encrypted anew."""

    __slots__ = ("sealed",)

    def __new__(cls, text: str, sealed: bytes):
        obj = super().__new__(cls, text)
        obj.sealed = sealed
        return obj


class SealedTextField(models.BinaryField):
    sealed = True

    def __init__(self, *args, context: str, **kwargs):
        self.context = context
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def get_default(self):
        return "" if not self.has_default() else super().get_default()

    def seal(self, text: str) -> bytes:
        return ring().encrypt(text.encode(), self.context)

    def open(self, blob) -> str:
        return ring().decrypt(blob, self.context).decode()

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        value = bytes(value)
        return OpenedText(self.open(value), value)

    def to_python(self, value):
        if isinstance(value, str):
            sealed = _serialized_sealed(value)  # a value read back from a backup
            return value if sealed is None else sealed
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, OpenedText):
            return value.sealed
        if isinstance(value, str):
            return self.seal(value)
        return bytes(value)  # already sealed: a value being restored or re-encrypted by rotate-key

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        if value is None:
            return None
        return base64.b64encode(self.get_prep_value(value)).decode("ascii")

    def formfield(self, **kwargs):
        from django import forms

        return models.Field.formfield(self, **{"form_class": forms.CharField, "widget": forms.Textarea, **kwargs})

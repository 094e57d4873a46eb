"""Translatable messages for the pure rule modules, which must not import Django (issue 13).

A rule module cannot call ``gettext``, yet its reasons and errors reach the user (``ValidationError(str(exc))``,
``f"{check.reason}（{check.citation}）"``, ``{{ check.reason }}`` in a template). So it builds a ``Message``: a
``str`` whose value is the Chinese text (``msgid % params``) — equality, ``in``, JSON and the tests see exactly the
Chinese they saw before — and which remembers its msgid and parameters. ``str()``, ``format()``/f-strings and
``%s`` render it through the translator that ``dangjian.core`` installs when Django starts (``install``), so the
English interface shows it in English; without Django the translator is the identity and the text stays Chinese.

``N_("…")`` marks a msgid for ``makemessages --keyword=N_`` (``make messages``) and returns it as a ``Message``
without parameters; ``Message(N_("…%(x)s…"), x=…)`` and ``RuleError(N_("…%(x)s…"), x=…)`` add parameters. A
parameter that is itself a ``Message`` (a label, a month) is rendered in the same language.

Build whole sentences: joining or concatenating a ``Message`` with ``+`` gives a plain (Chinese) ``str``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _identity(msgid: str) -> str:
    return msgid


_translate: Callable[[str], str] = _identity


def install(translate: Callable[[str], str]) -> None:
    """Render every ``Message`` through ``translate`` (``gettext``: the language active when it is shown)."""
    global _translate
    _translate = translate


def _format(template: str, params: Mapping[str, object]) -> str:
    return template % params if params else template


class Message(str):
    """The Chinese text, which knows its msgid and parameters and renders in the active language."""

    msgid: str
    params: Mapping[str, object]

    def __new__(cls, msgid: str, /, **params: object) -> Message:
        msgid = msgid.msgid if isinstance(msgid, Message) else msgid
        self = super().__new__(cls, _format(msgid, params))
        self.msgid, self.params = msgid, params
        return self

    def __str__(self) -> str:
        try:
            return _format(_translate(self.msgid), self.params)
        except (KeyError, ValueError, TypeError):  # a broken translation must not hide the message
            return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, dict(self.params)))


def _rebuild(msgid: str, params: dict[str, object]) -> Message:
    return Message(msgid, **params)


def N_(msgid: str) -> Message:
    """Mark ``msgid`` for extraction; returns it as a parameterless ``Message``."""
    return Message(msgid)


def chinese(text: str) -> str:
    """The Chinese text, whatever language is active: what an audit record keeps."""
    return str.__str__(text) if isinstance(text, Message) else text


class RuleError(ValueError):
    """Invalid input to a rule, with a translatable message: ``str(error)`` renders it in the active language."""

    def __init__(self, msgid: str, /, **params: object) -> None:
        self.message = Message(msgid, **params)
        super().__init__(self.message)

    def __str__(self) -> str:
        return str(self.message)

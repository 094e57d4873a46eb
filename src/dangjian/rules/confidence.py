"""How sure a rule's source is: the one definition every app and page uses.

P: the regulation's full text was read; Q: its article is quoted by an official source; S: taken from
reference material (common practice, summaries), not from the regulation; L: the institute sets it;
U: not yet confirmed. Only P and Q are shown as regulation; S/L/U are settings the institute may change.
Pure: no Django at import (the code rule tables import it); ``label`` translates when called, and
``dangjian.rules.choices`` gives the models their translated choices.
"""

from __future__ import annotations

from enum import StrEnum


def gettext_noop(message: str) -> str:
    """Marks a label for the translation catalogue without importing Django; translated where it is shown."""
    return message


class Confidence(StrEnum):
    P = "P"
    Q = "Q"
    S = "S"
    L = "L"
    U = "U"

    @property
    def label(self) -> str:
        return label(self)

    @property
    def is_regulation(self) -> bool:
        return self in REGULATION


# The user's words for each mark: no letter codes, no file names in the interface.
LABELS = {
    Confidence.P: gettext_noop("条例原文"),
    Confidence.Q: gettext_noop("条文引用"),
    Confidence.S: gettext_noop("参考做法"),
    Confidence.L: gettext_noop("本单位设置"),
    Confidence.U: gettext_noop("待核实"),
}
REGULATION = frozenset({Confidence.P, Confidence.Q})
# Marks whose value the institute may change (RULES.md: every L rule is the institute's to set; S and U are
# not regulation either, so the institute decides them until a regulation text is read).
EDITABLE = frozenset({Confidence.S, Confidence.L, Confidence.U})


def is_regulation(mark: str) -> bool:
    return mark in REGULATION


def label(mark: str) -> str:
    """The user's word for a mark, in the language of the request."""
    from django.utils.translation import gettext

    return gettext(LABELS[Confidence(mark)])

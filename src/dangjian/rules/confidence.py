"""How sure a rule's source is: the one definition every app and page uses.

P: the regulation's full text was read; Q: its article is quoted by an official source; S: taken from
reference material (common practice, summaries), not from the regulation; L: the institute sets it;
U: not yet confirmed. Only P and Q are shown as regulation; S/L/U are settings the institute may change.
Pure: no database.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Confidence(StrEnum):
    P = "P"
    Q = "Q"
    S = "S"
    L = "L"
    U = "U"

    @property
    def label(self) -> str:
        return str(LABELS[self])

    @property
    def is_regulation(self) -> bool:
        return self in REGULATION


# The user's words for each mark: no letter codes, no file names in the interface.
LABELS = {
    Confidence.P: _("条例原文"),
    Confidence.Q: _("条文引用"),
    Confidence.S: _("参考做法"),
    Confidence.L: _("本单位设置"),
    Confidence.U: _("待核实"),
}
REGULATION = frozenset({Confidence.P, Confidence.Q})
# Marks whose value the institute may change (RULES.md: every L rule is the institute's to set; S and U are
# not regulation either, so the institute decides them until a regulation text is read).
EDITABLE = frozenset({Confidence.S, Confidence.L, Confidence.U})
CHOICES = [(c.value, LABELS[c]) for c in Confidence]


def is_regulation(mark: str) -> bool:
    return mark in REGULATION


def label(mark: str) -> str:
    return str(LABELS[Confidence(mark)])

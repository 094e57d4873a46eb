"""The contributions registry: what each domain app adds to the platform.

``core`` knows no domain app. Each app declares, in its own ``contrib.py``, the menu entries it adds, the
items it puts on a user's home page, the notifications it sends when something falls due, the facts it
computes for the assessment and the documents it renders for the ledger, and registers them with
:func:`register`. The registry imports every ``contrib`` module the first time it is read (as Wagtail's
hooks and Django's admin do), so app order and import cycles do not matter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

Level = Literal["late", "due", "info"]
Number = int | float | Decimal


# The main menu's groups (主导航), in the order they are shown. ~35 entries in one row wrapped to three lines on a
# desktop; grouped by the work they serve, the menu fits one line. Each app's entries name their group; a user sees a
# group only when they may open one of its entries, and a group of one entry as a plain link.
MENU_GROUPS: dict[str, Any] = {
    "dashboard": _("仪表盘"),
    "organization": _("组织与党员"),
    "life": _("组织生活"),
    "assessment": _("考核与融合"),
    "care": _("关怀与健康"),
    "records": _("台账与报表"),
    "system": _("系统"),
}


@dataclass(frozen=True)
class MenuEntry:
    """One menu link, shown to users who hold ``perm`` (and not ``hidden_with``, when given), under ``group`` (a key
    of ``MENU_GROUPS``; an entry naming no known group goes under a last group, 更多, rather than disappear)."""

    perm: str
    url_name: str
    label: Any  # a lazy translation
    order: int = 100
    hidden_with: str | None = None
    group: str = ""


@dataclass(frozen=True)
class HomeItem:
    """Something waiting for the user, on their home page: one shape for every app.

    ``kind`` groups items on the page (e.g. "组织生活", "党费欠缴"); ``level`` is "late" (overdue),
    "due" (due soon) or "info".
    """

    level: Level
    kind: Any
    text: str
    link: str
    source: str
    due: date | None = None
    # How many things the line stands for: 1 for one person or meeting, N for a summary line ("12 人的步骤已超期",
    # or the "另有 N 项" tail a provider adds when it lists only the first few of a kind). The page adds them up.
    count: int = 1
    # Set on a summary line whose count is a lower bound: the provider stopped counting there, because an
    # exact count would read the whole tree on every visit (the page shows "100+").
    at_least: bool = False
    # The kind's full list (the app's own list page, filtered where it can be), linked from the group's heading.
    more: str = ""
    order: int = 100  # groups are shown by their first item's order, then in registry order


@dataclass(frozen=True)
class SummaryCard:
    """A figure at the top of a home page (党组织 12, 正式党员 340), linking to the list it counts."""

    label: Any
    value: int
    link: str
    order: int = 100


@dataclass(frozen=True)
class Notification:
    """A reminder for one user, sent by ``dangjian notify-due``."""

    user_id: int
    subject: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))


@dataclass(frozen=True)
class FactDefinition:
    """A registered, documented figure per organisation and period (事实, GLOSSARY ``Fact``)."""

    key: str  # "meetings.lecture.held"
    label: Any
    unit: Any  # "次", "%", "人"
    meaning: Any
    rule: Any = ""  # the rule it reads: regulation and article, or "本单位设置"
    dimension: str | None = None  # set when the value is a breakdown ("age_band", "stage", "month", ...)
    aggregate_only: bool = False  # health: never below the minimum group size
    # the breakdown's keys in display order with their labels (stage codes → "入党积极分子", ...)
    breakdown_labels: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FactValue:
    key: str
    organization_id: int
    value: Number | None = None
    breakdown: Mapping[str, Number] | None = None
    inputs: Mapping[str, Any] = field(default_factory=dict)
    evidence_url: str = ""


class FactProvider(Protocol):
    definitions: Sequence[FactDefinition]

    def compute(self, organizations: Sequence[Any], period: Period) -> Iterable[FactValue]:
        """Every definition's value for every given organisation, set-wise in a few queries."""
        ...


# The ledger's sections (台账, GLOSSARY ``Ledger``) in the order of a branch work handbook (支部工作手册), with their
# headings as inspectors read them. Every document provider names the section its part goes under; the ledger
# prints each heading once, on a new page, and says so when no provider had records for it.
LEDGER_SECTIONS: dict[str, Any] = {
    "basics": _("基本情况"),
    "committee": _("委员花名册"),
    "roster": _("党员花名册"),
    "plan": _("年度工作计划"),
    "members_meeting": _("党员大会"),
    "committee_meeting": _("支委会"),
    "group_meeting": _("党小组会"),
    "lecture": _("党课"),
    "theme_day": _("主题党日"),
    "talks": _("谈心谈话"),
    "appraisal": _("民主评议"),
    "development": _("发展党员"),
    "dues": _("党费"),
    "care": _("关心关怀"),
    "assessment": _("考核结果"),
    "submissions": _("请示报告"),
    "summary": _("年度工作总结"),
}


@dataclass(frozen=True)
class LedgerGap:
    """Something missing from an organisation's yearly record, listed before the ledger so that a secretary can
    complete it before an inspection ("3月12日支委会无会议记录", "第二季度未上党课")."""

    section: str  # a key of LEDGER_SECTIONS
    text: str
    link: str = ""  # the page where it is put right
    due: date | None = None


@dataclass(frozen=True)
class LedgerAttachment:
    """A file of the year's record that the ledger indexes and puts in the year's .zip (a meeting's photos, a signed
    form). ``open`` returns the file's bytes as a binary file object (e.g. a FieldFile's ``open("rb")``)."""

    section: str
    name: str  # the file's name, unique within the provider ("2025-03-12 支委会/签到表.jpg")
    label: str  # what the ledger's index says it is
    open: Callable[[], Any]
    size: int = 0


class DocumentProvider(Protocol):
    """Renders one part of an organisation's yearly record (the ledger binds them, ``dangjian.ledger``).

    The ledger prints the section's heading; ``render`` adds the part's own content (and ``title`` as a subheading
    when the section has several parts), using ``dangjian.core.paper`` so that every part keeps the party-document
    layout. ``landscape`` asks for a landscape A4 page (a roster of ten columns). ``gaps`` and ``attachments`` may
    return nothing. Each method reads set-wise: a constant number of queries whatever the number of records.
    """

    key: str  # "meetings.committee_meeting"
    section: str  # a key of LEDGER_SECTIONS
    title: Any  # the part's subheading; "" when the part is the whole section
    order: int  # the part's place within its section
    landscape: bool

    def render(self, organization: Any, period: Period, document: Any) -> None: ...

    def gaps(self, organization: Any, period: Period) -> Iterable[LedgerGap]: ...

    def attachments(self, organization: Any, period: Period) -> Iterable[LedgerAttachment]: ...


class DocumentPart:
    """Defaults for a document provider: portrait, no gaps found, no attachments. Subclass it and set ``key``,
    ``section``, ``title`` and ``order`` (as dataclass fields or class attributes)."""

    landscape: bool = False

    def gaps(self, organization: Any, period: Period) -> Iterable[LedgerGap]:
        return ()

    def attachments(self, organization: Any, period: Period) -> Iterable[LedgerAttachment]:
        return ()


@dataclass(frozen=True)
class Contribution:
    app: str
    menu: Sequence[MenuEntry] = ()
    # (user, today) -> items for that user's home page; a constant number of queries per call
    home_items: Callable[[Any, date], Sequence[HomeItem]] | None = None
    # (user, today) -> the figures at the top of that user's home page; a constant number of queries per call
    summary: Callable[[Any, date], Sequence[SummaryCard]] | None = None
    # (today) -> reminders for every user concerned
    notifications: Callable[[date], Iterable[Notification]] | None = None
    facts: Sequence[FactProvider] = ()
    documents: Sequence[DocumentProvider] = ()
    # dotted path of a ninja Router, mounted under /api/v1/
    api_router: str | None = None


_registry: dict[str, Contribution] = {}
_discovered = False


def register(contribution: Contribution) -> Contribution:
    _registry[contribution.app] = contribution
    return contribution


def contributions() -> list[Contribution]:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("contrib")
    return list(_registry.values())


def fact_providers() -> list[tuple[str, FactProvider]]:
    """Every registered fact provider with the label of the app that registered it, in app order."""
    return [(c.app, provider) for c in contributions() for provider in c.facts]


def fact_definitions() -> dict[str, FactDefinition]:
    """Every registered fact's definition by key."""
    return {d.key: d for _app, provider in fact_providers() for d in provider.definitions}


def definition(key: str) -> FactDefinition | None:
    return fact_definitions().get(key)


def document_providers() -> list[DocumentProvider]:
    """Every registered document provider in the ledger's order: by section, then by the part's own order."""
    place = {key: n for n, key in enumerate(LEDGER_SECTIONS)}
    providers = [p for c in contributions() for p in c.documents]
    return sorted(providers, key=lambda p: (place.get(p.section, len(place)), p.order, p.key))


def listed(
    items: Sequence[HomeItem], total: int, *, text: Any, level: Level = "late", at_least: bool = False
) -> list[HomeItem]:
    """``items`` (the first few of one kind) and, when ``total`` is larger, one summary line for the rest.

    ``text`` is a translatable pattern with ``%(n)d`` (e.g. "另有%(n)d名党员连续6个月未交纳党费"); the line links
    to the kind's full list, so the page's count is the true total while the provider reads only a few rows.
    """
    items = list(items)
    rest = total - sum(i.count for i in items)
    if rest > 0 and items:
        first = items[0]
        items.append(
            HomeItem(
                level=level,
                kind=first.kind,
                text=str(text) % {"n": rest},
                link=first.more or first.link,
                source=first.source,
                count=rest,
                at_least=at_least,
                more=first.more,
                order=first.order,
            )
        )
    return items

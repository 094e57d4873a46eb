"""The ledger (台账) of an organisation and a year, bound from every registered document provider.

The book follows a branch work handbook: a cover (年度, 单位 — the committee above —, 支部名称), the contents, then
every section of ``LEDGER_SECTIONS`` in order, each on a new page under its heading; the parts of a section come from
``document_providers()`` in their order. A provider with no records for the year adds nothing to the document (that
is the convention: ``render`` writes nothing when there is nothing to say), and a section whose providers all added
nothing — or that has no provider — says "本年度无记录". A landscape part (the roster) gets a landscape A4 section of
its own; every section is A4 with the GB/T 9704 margins and continuous page numbers. At the end, the index of the
year's attachments (附件目录) when the caller passes them (the .zip that carries the files is made beside).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_noop
from docx.oxml.ns import qn

from dangjian.core import paper
from dangjian.core.contributions import LEDGER_SECTIONS, DocumentProvider, LedgerAttachment, Period, document_providers
from dangjian.orgs.models import Organization, OrgKind

NO_RECORDS = gettext_noop("本年度无记录")
ATTACHMENTS_HEADING = gettext_noop("附件目录")
ATTACHMENT_HEADERS = ("序号", "栏目", "文件", "说明")
ATTACHMENT_WIDTHS = (10, 26, 70, 50)


def unit_above(organization: Organization) -> Organization | None:
    """The committee (or general branch) the organisation belongs to: the nearest ancestor that is not a group."""
    ancestors = list(Organization.objects.get_ancestors(organization)) if organization.depth > 1 else []
    for node in reversed(ancestors):
        if node.kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH):
            return node
    return None


def institute_of(organization: Organization) -> Organization | None:
    """The committee the ledger is kept for (单位): the nearest committee above, or the organisation itself."""
    if organization.kind == OrgKind.COMMITTEE:
        return organization
    ancestors = list(Organization.objects.get_ancestors(organization)) if organization.depth > 1 else []
    for node in reversed(ancestors):
        if node.kind == OrgKind.COMMITTEE:
            return node
    return None


def grouped(providers: Sequence[DocumentProvider] | None = None) -> dict[str, list[DocumentProvider]]:
    out: dict[str, list[DocumentProvider]] = defaultdict(list)
    for provider in document_providers() if providers is None else providers:
        out[provider.section].append(provider)
    return out


def _cover(document, organization: Organization, year: int) -> None:
    institute = institute_of(organization)
    lines = [
        (_t("年　　度"), _t("%(y)d年度") % {"y": year}),
        (_t("单　　位"), paper.party_name(institute.name) if institute else "—"),
        (_t("支部名称"), paper.party_name(organization.name)),
    ]
    paper.cover(
        document,
        lines,
        heading=_t("党支部工作台账") if organization.kind != OrgKind.COMMITTEE else _t("党建工作台账"),
        year_line=_t("%(y)d年度") % {"y": year},
    )


def _contents(document, sections: Sequence[str]) -> None:
    """The contents: the sections in order, numbered, each with the page its chapter starts on (a page reference to
    the chapter's bookmark, see :func:`_chapter`)."""
    paper.chapter(document, _t("目　　录"))
    for n, name in enumerate(sections, 1):
        paper.contents_line(document, f"{n}．{name}", _mark(n))
    paper.update_fields(document)


def _mark(n: int) -> str:
    return f"ledger_section_{n}"


def _chapter(document, heading: str, n: int) -> None:
    """The ``n``-th section's heading, bookmarked for its line in the contents."""
    paper.bookmark(paper.chapter(document, heading), _mark(n), n)


TABLE = qn("w:tbl")


def _length(document) -> int:
    return len(document.element.body)


class _Scratch:
    """A scratch document of the ledger's layout that parts render into, their body elements then moved (not
    copied) into the ledger: a part that renders nothing is known before it can leave a page break or an orientation
    behind. Once emptied, the scratch is used again for the next part unless that part changed its page setup
    (opening a blank document takes a tenth of a part's time)."""

    def __init__(self) -> None:
        self.document: Any = None
        self.setup = ""

    def rendered(self, part: DocumentProvider, organization: Organization, period: Period) -> list:
        body = self.document.element.body if self.document is not None else None
        if body is None or len(body) != 1 or body.sectPr.xml != self.setup:
            self.document = paper.new_document()
            self.setup = self.document.element.body.sectPr.xml
        part.render(organization, period, self.document)
        return [e for e in self.document.element.body if e.tag != qn("w:sectPr")]


def assemble(
    organization: Organization,
    year: int,
    *,
    attachments: Sequence[tuple[str, LedgerAttachment]] | None = None,
    providers: Sequence[DocumentProvider] | None = None,
    progress=None,
):
    """The ledger as a python-docx Document. ``attachments`` (name in the .zip, attachment) adds the 附件目录 at the
    end; ``progress(done, total, message)`` is told after each section."""
    period = Period.year(year)
    parts = grouped(providers)
    headings = [str(h) for h in LEDGER_SECTIONS.values()]
    if attachments is not None:
        headings.append(_t(ATTACHMENTS_HEADING))
    document = paper.new_document()
    _cover(document, organization, year)
    _contents(document, headings)
    landscape = False
    total = len(LEDGER_SECTIONS)
    scratch = _Scratch()
    for n, (key, heading) in enumerate(LEDGER_SECTIONS.items(), 1):
        section_parts = parts.get(key, [])
        landscape = bool(section_parts) and section_parts[0].landscape
        paper.new_section(document, landscape=landscape)
        _chapter(document, str(heading), n)
        rendered = False
        for part in section_parts:
            elements = scratch.rendered(part, organization, period)
            if not elements:
                continue  # nothing to say: no page of its own (a blank landscape page between portrait ones)
            rendered = True
            # a wide part's table gets its landscape page; a line of text ("本年度无…记录") stays on the page it is on
            wanted = part.landscape if any(e.tag == TABLE for e in elements) else landscape
            if wanted != landscape:
                landscape = wanted
                paper.new_section(document, landscape=landscape)
            end = document.element.body.sectPr  # the body's last child: what follows the content
            for element in elements:
                end.addprevious(element)
        if not rendered:
            paper.paragraph(document, _t(NO_RECORDS))
        if progress is not None:
            progress(n, total, str(heading))
    if attachments is not None:
        paper.new_section(document)
        _chapter(document, _t(ATTACHMENTS_HEADING), total + 1)
        if attachments:
            names = {k: str(v) for k, v in LEDGER_SECTIONS.items()}
            paper.table(
                document,
                ATTACHMENT_HEADERS,
                ((i, names.get(a.section, a.section), name, a.label) for i, (name, a) in enumerate(attachments, 1)),
                widths=ATTACHMENT_WIDTHS,
                numeric=(0,),
            )
        else:
            paper.paragraph(document, _t("本年度无附件。"))
    return document


def gaps(organization: Organization, year: int, providers: Sequence[DocumentProvider] | None = None):
    """Every provider's gaps, grouped by section in the ledger's order: [(key, heading, [gap, ...]), ...], every
    section listed (an empty list when nothing is missing)."""
    period = Period.year(year)
    found: dict[str, list] = defaultdict(list)
    for provider in document_providers() if providers is None else providers:
        for gap in provider.gaps(organization, period):
            found[gap.section if gap.section in LEDGER_SECTIONS else provider.section].append(gap)
    return [(key, str(heading), found.get(key, [])) for key, heading in LEDGER_SECTIONS.items()]


def attachments(organization: Organization, year: int, providers: Sequence[DocumentProvider] | None = None):
    """The year's attachments of every provider as (name in the .zip, attachment), in the ledger's order: each under
    its section's heading, a name taken twice numbered."""
    period = Period.year(year)
    out: list[tuple[str, LedgerAttachment]] = []
    taken: set[str] = set()
    for provider in document_providers() if providers is None else providers:
        for item in provider.attachments(organization, period):
            heading = str(LEDGER_SECTIONS.get(item.section, item.section))
            parts = f"{heading}/{item.name}".replace("\\", "/").split("/")
            name = "/".join(p for p in parts if p not in ("", ".", ".."))
            base, n = name, 2
            while name in taken:
                stem, dot, ext = base.rpartition(".")
                name = f"{stem}（{n}）.{ext}" if dot else f"{base}（{n}）"
                n += 1
            taken.add(name)
            out.append((name, item))
    return out


def to_bytes(document: Any) -> bytes:
    return paper.to_bytes(document)

"""The organisation's parts of the ledger (台账): 基本情况 and 委员花名册.

基本情况: the organisation's particulars (name, kind, the organisation above, founding date), its current committee
term (election date, end of term, whether it has a committee), the members it counts by status and its party
groups with their leaders and sizes. 委员花名册: the current term's committee members, their posts and particulars.
The state is the one in force at the end of the year (today for the current year). Each part reads a constant number
of queries whatever the size of the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from dangjian.core import paper
from dangjian.core.contributions import DocumentPart, LedgerGap, Period
from dangjian.people.models import Membership, MembershipStatus

from .models import CommitteePost, CommitteeTerm, Organization, OrgKind

GROUP_HEADERS = (_("党小组"), _("组长"), _("党员人数"))
GROUP_WIDTHS = (70, 50, 36)
COMMITTEE_HEADERS = (_("序号"), _("姓名"), _("职务"), _("性别"), _("出生日期"), _("学历"), _("任职日期"), _("届满日期"))
COMMITTEE_WIDTHS = (10, 20, 26, 10, 22, 24, 22, 22)


def as_of(period: Period) -> date:
    """The day the ledger describes: the year's last day, or today while the year runs."""
    return min(period.end, timezone.localdate())


def current_term(organization: Organization, on: date) -> CommitteeTerm | None:
    return CommitteeTerm.objects.filter(organization=organization, elected_on__lte=on).order_by("-elected_on").first()


def _on_rolls(on: date):
    return Membership.objects.filter(
        started_on__lte=on, deleted_at__isnull=True, person__deleted_at__isnull=True
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))


@dataclass(frozen=True)
class BasicsPart(DocumentPart):
    key: str = "orgs.basics"
    section: str = "basics"
    title: Any = ""
    order: int = 10

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        on = as_of(period)
        term = current_term(organization, on)
        parent = Organization.objects.get_parent(organization)
        members = _on_rolls(on).filter(organization__in=Organization.objects.subtree(organization))
        counts = members.aggregate(
            full=Count("pk", filter=Q(status=MembershipStatus.FULL)),
            probationary=Count("pk", filter=Q(status=MembershipStatus.PROBATIONARY)),
        )
        rows = [
            (_t("党组织名称"), organization.name),
            (_t("组织类别"), organization.get_kind_display() + (_t("（联合党支部）") if organization.joint else "")),
            (_t("上级党组织"), parent.name if parent else "—"),
            (_t("成立日期"), paper.cn_date(organization.founded_on) or "—"),
            (_t("本届选举日期"), paper.cn_date(term.elected_on) if term else _t("未录入")),
            (_t("本届届满日期"), paper.cn_date(term.ends_on) if term else "—"),
            (
                _t("委员会设置"),
                (_t("设委员会") if term.has_committee else _t("不设委员会，设书记")) if term else "—",
            ),
            (
                _t("党员人数"),
                _t("%(all)d名（正式党员%(full)d名，预备党员%(prob)d名）")
                % {
                    "all": counts["full"] + counts["probationary"],
                    "full": counts["full"],
                    "prob": counts["probationary"],
                },
            ),
        ]
        paper.particulars(document, rows)
        groups = list(
            Organization.objects.subtree(organization)
            .filter(kind=OrgKind.GROUP)
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on))
            .order_by("path")
        )
        if not groups:
            paper.paragraph(document, _t("本组织未划分党小组。"))
            return
        sizes = {
            r["group_id"]: r["n"] for r in members.filter(group__in=groups).values("group_id").annotate(n=Count("pk"))
        }
        leaders: dict[int, list[str]] = {}
        for group_id, name in (
            members.filter(group__in=groups, party_post__contains="组长")
            .order_by("person__sort_key")
            .values_list("group_id", "person__name")
        ):
            leaders.setdefault(group_id, []).append(name)
        paper.subheading(document, _t("党小组设置"))
        paper.table(
            document,
            GROUP_HEADERS,
            ((g.name, "、".join(leaders.get(g.pk, [])) or "—", sizes.get(g.pk, 0)) for g in groups),
            widths=GROUP_WIDTHS,
            numeric=(2,),
        )

    def gaps(self, organization: Organization, period: Period):
        on = as_of(period)
        term = current_term(organization, on)
        link = reverse("orgs:detail", args=[organization.pk])
        if organization.kind != OrgKind.GROUP and term is None:
            yield LedgerGap("basics", _t("未录入委员会届次（选举日期、届满日期）"), link)
        elif term is not None and term.ends_on < on:
            yield LedgerGap(
                "basics", _t("本届委员会已于%(d)s届满，尚未录入换届选举") % {"d": paper.cn_date(term.ends_on)}, link
            )


@dataclass(frozen=True)
class CommitteePart(DocumentPart):
    key: str = "orgs.committee"
    section: str = "committee"
    title: Any = ""
    order: int = 10

    def posts(self, organization: Organization, period: Period):
        term = current_term(organization, as_of(period))
        if term is None:
            return term, []
        posts = CommitteePost.objects.filter(term=term).select_related("person").order_by("order", "pk")
        return term, list(posts)

    def render(self, organization: Organization, period: Period, document: Any) -> None:
        term, posts = self.posts(organization, period)
        if not posts:
            return
        paper.paragraph(
            document,
            _t("本届委员会于%(e)s选举产生，任期至%(d)s。")
            % {"e": paper.cn_date(term.elected_on), "d": paper.cn_date(term.ends_on)},
        )
        paper.table(
            document,
            COMMITTEE_HEADERS,
            (
                (
                    n,
                    p.person.name,
                    p.get_post_display(),
                    p.person.get_sex_display(),
                    paper.iso(p.person.birth_date),
                    p.person.get_education_display() or "—",
                    paper.iso(term.elected_on),
                    paper.iso(term.ends_on),
                )
                for n, p in enumerate(posts, 1)
            ),
            widths=COMMITTEE_WIDTHS,
            numeric=(0, 3, 4, 6, 7),
        )

    def gaps(self, organization: Organization, period: Period):
        term, posts = self.posts(organization, period)
        if term is not None and not posts:
            yield LedgerGap(
                "committee", _t("本届委员会未录入委员及职务"), reverse("orgs:detail", args=[organization.pk])
            )


BASICS = BasicsPart()
COMMITTEE = CommitteePart()

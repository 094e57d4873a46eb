"""Facts of party work inside the business for the assessment (issue 15 §7): the matrix's coverage of the key
tasks, the members in carriers, pledge fulfilment and the review of model posts.

Every figure covers the organisation's subtree (see ``dangjian.facts.rollup``) and is computed for any number of
organisations in a constant number of queries (ten in all). Carriers count as in the matrix (``active``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import counted, fact, fixed_link, percent, pks, rollup, set_wise, under
from dangjian.people.facts import party_members

from . import active
from .matrix import people_in_carriers
from .models import Fulfilment, ModelPostReview, Pledge, PledgeStatus, Project

COVERAGE, MEMBERS = "integration.matrix.coverage_rate", "integration.carriers.members"
FULFILMENT, REVIEWED = "integration.pledges.fulfilment_rate", "integration.model_posts.reviewed_rate"


def _year_of(period: Period) -> int:
    return period.end.year


def _task_paths(year: int) -> dict[int, list[str]]:
    """Each key task of the year with the paths of the organisations answering for it or working on it."""
    paths: dict[int, list[str]] = {}
    for pk, path in active.key_tasks(year).order_by().values_list("pk", "organization__path"):
        paths[pk] = [path]
    joined = Project.organizations.through.objects.filter(project_id__in=list(paths)).values_list(
        "project_id", "organization__path"
    )
    for pk, path in joined:
        paths[pk].append(path)
    return paths


class IntegrationFacts:
    definitions = (
        FactDefinition(
            key=COVERAGE,
            label=_("融合矩阵覆盖率"),
            unit="%",
            meaning=_(
                "当年的重点任务中（责任党组织或参与党组织在本组织及其下级组织），至少有一个当年在开展的党建载体"
                "（党员示范岗、责任区、突击队、攻关团队、承诺、共建、联系点、业务主题活动）的任务所占比例，"
                "与“融合矩阵”页面一致。"
            ),
            rule=_("本单位设置：党建工作内置业务流程的“融合矩阵”"),
        ),
        FactDefinition(
            key=MEMBERS,
            label=_("参与党建载体的党员"),
            unit=_("人"),
            meaning=_(
                "本组织及其下级组织的现有党员（含预备党员）中，当年至少在一个党建载体中的人数：示范岗党员、"
                "责任区责任党员、突击队或攻关团队队员、已公示承诺的党员，每人只计一次。"
            ),
            rule=_("本单位设置：党员责任区、示范岗、突击队、攻关团队与“亮身份、守承诺、作表率”"),
        ),
        FactDefinition(
            key=FULFILMENT,
            label=_("党员承诺践诺率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织当年已公示的党员承诺中，年终践诺评议为“已践诺”的所占比例；"
                "“部分践诺”按半数计，尚未评议和“未践诺”的不计。"
            ),
            rule=_("本单位设置：亮身份、守承诺、作表率"),
        ),
        FactDefinition(
            key=REVIEWED,
            label=_("党员示范岗评议率"),
            unit="%",
            meaning=_("本组织及其下级组织当年在岗的党员示范岗（已授牌，或当年撤销）中，当年已进行评议的所占比例。"),
            rule=_("本单位设置：党员示范岗每届评议，低于标准的撤销"),
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence[Any], period: Period) -> Iterable[FactValue]:
        year = _year_of(period)
        # coverage: a task counts once for every organisation above any of its organisations
        covered_ids = {pk for (pk,) in active.active_project_ids(year)}
        tasks = rollup(
            organizations,
            (
                (tuple(paths), {"tasks": 1, "covered": 1 if pk in covered_ids else 0})
                for pk, paths in _task_paths(year).items()
            ),
        )
        # members in carriers: current party members of each branch, those among the carriers' people
        people = people_in_carriers(year)
        rows = []
        for person_id, path in party_members(organizations).order_by().values_list("pk", "org_path"):
            rows.append((path, {"members": 1, "in_carriers": 1 if person_id in people else 0}))
        members = rollup(organizations, rows)
        pledges = counted(
            Pledge.objects.filter(under(organizations, "organization__path"), year=year, status=PledgeStatus.APPROVED)
            .order_by()
            .values(path=F("organization__path"))
            .annotate(
                approved=Count("pk"),
                fulfilled=Count("pk", filter=Q(fulfilment=Fulfilment.FULFILLED)),
                partly=Count("pk", filter=Q(fulfilment=Fulfilment.PARTLY)),
            )
        )
        fulfilment = rollup(organizations, pledges)
        reviewed_that_year = ModelPostReview.objects.filter(post=OuterRef("pk"), year=year)
        posts = counted(
            active.active(active.MODEL_POST, year)
            .filter(under(organizations, "organization__path"))
            .order_by()
            .values(path=F("organization__path"))
            .annotate(posts=Count("pk"), reviewed=Count("pk", filter=Exists(reviewed_that_year)))
        )
        reviews = rollup(organizations, posts)
        matrix_link = fixed_link("integration:matrix", year=year)
        pledge_link = fixed_link("integration:matrix_cell", year=year, column=active.PLEDGE)
        post_link = fixed_link("integration:matrix_cell", year=year, column=active.MODEL_POST)
        for pk in pks(organizations):
            t, m, f, r = tasks[pk], members[pk], fulfilment[pk], reviews[pk]
            n_tasks, n_covered = t.get("tasks", 0), t.get("covered", 0)
            yield fact(
                key=COVERAGE,
                organization_id=pk,
                value=percent(n_covered, n_tasks),
                inputs={"key_tasks": n_tasks, "with_carrier": n_covered},
                evidence_url=matrix_link,
            )
            yield fact(
                key=MEMBERS,
                organization_id=pk,
                value=m.get("in_carriers", 0),
                inputs={"members": m.get("members", 0), "in_carriers": m.get("in_carriers", 0)},
                evidence_url=matrix_link,
            )
            approved, fulfilled, partly = f.get("approved", 0), f.get("fulfilled", 0), f.get("partly", 0)
            yield fact(
                key=FULFILMENT,
                organization_id=pk,
                value=percent(fulfilled + partly / 2, approved),
                inputs={"approved": approved, "fulfilled": fulfilled, "partly": partly},
                evidence_url=pledge_link,
            )
            n_posts, n_reviewed = r.get("posts", 0), r.get("reviewed", 0)
            yield fact(
                key=REVIEWED,
                organization_id=pk,
                value=percent(n_reviewed, n_posts),
                inputs={"posts": n_posts, "reviewed": n_reviewed},
                evidence_url=post_link,
            )

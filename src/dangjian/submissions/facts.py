"""请示报告's facts: the requests sent in the year and the share answered on time.

A request counts for year Y when it was sent in Y by an organisation of the subtree (``year``, drafts never;
个人有关事项 never: they are nobody's figure). It is due when its deadline has come by the year's end (or today
while the year runs); answered on time when the office above approved or returned it on or before its deadline.
Each organisation's figure covers its subtree (``dangjian.facts.rollup``), in one query for any number of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import FactDefinition, FactValue, Period
from dangjian.facts.rollup import as_of, counted, fact, link, percent, pks, rollup, set_wise, under

from .models import Category, Kind, Status, Submission

SENT = "submissions.requests.sent"
ON_TIME = "submissions.requests.answered_on_time_rate"
RULE = _("党政机关公文处理工作条例 第十五条；答复期限为本单位设置（规则 submissions.request.answer_working_days）")


class SubmissionFacts:
    definitions = (
        FactDefinition(
            key=SENT,
            label=_("报送请示件数"),
            unit=_("件"),
            meaning=_("本组织及其下级组织当年向上级党组织报送的请示件数（不含个人有关事项）。"),
            rule=RULE,
        ),
        FactDefinition(
            key=ON_TIME,
            label=_("请示按期答复率"),
            unit="%",
            meaning=_(
                "本组织及其下级组织当年报送、答复期限已到的请示中，上级党组织在期限内（含当日）批复或退回的比例。"
            ),
            rule=RULE,
        ),
    )

    @set_wise
    def compute(self, organizations: Sequence, period: Period) -> Iterable[FactValue]:
        year, day = period.end.year, as_of(period)
        answered = Q(status__in=(Status.APPROVED, Status.RETURNED), answered_at__date__lte=F("deadline"))
        rows = counted(
            Submission.objects.filter(under(organizations, "organization__path"))
            .filter(year=year, kind=Kind.REQUEST)
            .exclude(status=Status.DRAFT)
            .exclude(category=Category.PERSONAL)
            .order_by()
            .values(path=F("organization__path"))
            .annotate(
                sent=Count("pk"),
                due=Count("pk", filter=Q(deadline__lte=day)),
                on_time=Count("pk", filter=Q(deadline__lte=day) & answered),
            )
        )
        sums = rollup(organizations, rows)
        evidence = link("submissions:list", box="sent", kind=Kind.REQUEST.value, year=year)
        for pk in pks(organizations):
            s = sums[pk]
            sent, due, on_time = s.get("sent", 0), s.get("due", 0), s.get("on_time", 0)
            # input names the facts page labels (``facts.labels``): 应完成, 按时办结
            inputs = {"due": due, "in_time": on_time, "as_of": day.isoformat()}
            yield fact(SENT, pk, sent, inputs=inputs, evidence_url=f"{evidence}{pk}")
            yield fact(ON_TIME, pk, percent(on_time, due), inputs=inputs, evidence_url=f"{evidence}{pk}")

"""An applicant's or activist's own development on their home page: the steps done, with their dates, and the
next step with its deadline (中国共产党发展党员工作细则). The person sees their own timeline, nothing of the
branch's deliberations (the talk and sponsor records stay with the branch)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from dangjian.core import mine
from dangjian.core.contributions import HomeItem

from .models import CaseStatus, Development, DevelopmentStage, StepRecord
from .timeline import table_of

# Before the branch admits them: a probationary member follows their probation through the branch and the
# member's other lines, as any member.
STAGES = (DevelopmentStage.APPLICANT, DevelopmentStage.ACTIVIST, DevelopmentStage.CANDIDATE)


def home_items(user, today: date) -> list[HomeItem]:
    """Two queries: the open case, its step records."""
    person_id = mine.own_person_id(user)
    if person_id is None:
        return []
    case = Development.objects.filter(person_id=person_id, status=CaseStatus.OPEN, stage__in=STAGES).first()
    if case is None:
        return []
    table = table_of(case)
    out = []
    if case.next_step:
        try:
            step = table.by_number(case.next_step)
        except KeyError:
            step = None
        if step is not None:
            values = {"stage": case.get_stage_display(), "step": step.name}
            if case.next_due_on:
                values["due"] = f"{case.next_due_on:%Y-%m-%d}"
                text = _("当前阶段：%(stage)s；下一步：%(step)s（期限 %(due)s）") % values
            else:
                text = _("当前阶段：%(stage)s；下一步：%(step)s") % values
            late = case.next_due_on is not None and case.next_due_on < today
            out.append(_item("late" if late else "due", text, case.next_due_on))
    records = StepRecord.objects.filter(development=case).order_by("-done_on", "-number")
    for number, code, done_on in records.values_list("number", "code", "done_on"):
        try:
            name = table.by_code(code).name
        except KeyError:
            name = _("第%(n)d步") % {"n": number}
        out.append(_item("info", _("%(day)s %(step)s") % {"day": f"{done_on:%Y-%m-%d}", "step": name}, done_on))
    return out


def _item(level: str, text: str, due: date | None) -> HomeItem:
    # no page of the case is the person's to open (development.view is the branch's): the lines are not links
    return HomeItem(level, mine.MY_DEVELOPMENT, text, "", mine.SOURCE, due, order=mine.ORDER_DEVELOPMENT)

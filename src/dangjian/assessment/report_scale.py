"""The numbers a 述职评议 is reckoned with: the rater groups' weights, the points of each grade and the overall grades'
least scores. They are the rule store's settings (本单位设置, ``rule_data``; the office changes them on the rules
page, for the institute or a committee's subtree); a draft meeting follows the settings in force, and opening the vote
copies them onto the meeting (``fix``), so a meeting's result never moves when the settings change afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.rules import services as rule_store

from .models import MeetingStatus, RaterGroup, ReportMeeting
from .models.secretary_report import GRADES
from .rule_data import ASSESSMENT_RULES, BAND_KEYS, POINT_KEYS, WEIGHT_KEYS


@dataclass(frozen=True)
class Scale:
    weights: dict[str, int]  # {group: percent}
    points: dict[str, int]  # {grade: points}
    bands: dict[str, int]  # {grade: least score}, 差 having none
    fixed: bool  # the meeting's own (its vote has opened), or the settings in force

    def weight(self, group: str) -> int:
        return int(self.weights.get(group, 0))


def in_force(organization, on: date | None = None) -> Scale:
    """The settings for a meeting of ``organization`` (its subtree's override, else the institute's) on ``on``."""
    table = rule_store.table(ASSESSMENT_RULES, organization)
    on = on or timezone.localdate()
    return Scale(
        weights={g: int(table.value(k, on)) for g, k in WEIGHT_KEYS.items()},
        points={g: int(table.value(k, on)) for g, k in POINT_KEYS.items()},
        bands={g: int(table.value(k, on)) for g, k in BAND_KEYS.items()},
        fixed=False,
    )


def of_meeting(meeting: ReportMeeting) -> Scale:
    """A meeting whose vote has opened keeps what it was opened with; a draft shows the settings in force. (A meeting
    opened before the points were stored lacks them: the settings in force stand in.)"""
    if meeting.status == MeetingStatus.DRAFT:
        return in_force(meeting.organization)
    if meeting.weights and meeting.points and meeting.bands:
        return Scale(dict(meeting.weights), dict(meeting.points), dict(meeting.bands), fixed=True)
    now = in_force(meeting.organization)
    return Scale(meeting.weights or now.weights, meeting.points or now.points, meeting.bands or now.bands, True)


def problems(scale: Scale) -> list[str]:
    """What stops a vote from opening with these settings, in the office's words."""
    errors = []
    weights = [scale.weight(g) for g in RaterGroup.values]
    if sum(weights) != 100:
        errors.append(
            _("各测评组权重之和应为 100%%，现为 %(sum)s%%（请在“规则与依据”中修改述职评议权重）")
            % {"sum": sum(weights)}
        )
    if any(w < 0 or w > 100 for w in weights):
        errors.append(_("权重应在 0 到 100 之间"))
    minima = [scale.bands[g] for g in GRADES if g in scale.bands]
    if minima != sorted(minima, reverse=True):
        errors.append(_("述职评议等次的最低得分应依“好、较好、一般”递减"))
    return errors


def fix(meeting: ReportMeeting, scale: Scale) -> None:
    """Copy the settings onto the meeting (the caller saves it, in its transaction)."""
    meeting.weights, meeting.points, meeting.bands = dict(scale.weights), dict(scale.points), dict(scale.bands)


def explain(scale: Scale) -> str:
    """The points and the grades' least scores in a sentence, under a results table and in the workbook."""
    return _(
        "得分：好%(good)s、较好%(fairly_good)s、一般%(average)s、差%(poor)s（本单位设置）；"
        "等次：%(good_min)s分以上为好，%(fairly_good_min)s分以上为较好，%(average_min)s分以上为一般，其余为差。"
    ) % {
        **{g: scale.points.get(g, 0) for g in GRADES},
        **{f"{g}_min": scale.bands.get(g, 0) for g in ("good", "fairly_good", "average")},
    }

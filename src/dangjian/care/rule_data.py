"""The default care list of RULES.md §5, shipped by migration 0002 and editable by the committee office.

Listed on /rules/ with every other rule (``dangjian.rules.catalogue``).

No national list of 五必问/五必谈/五必访 exists; every organisation publishes its own. The talk and visit
lines follow the lists organisations commonly publish (secondary sources, mark S); no party list of 五必问 was
found, so its lines are this platform's proposal (mark L). Both are shown as "organisation setting".
"""

from __future__ import annotations

# The sources as users read them (on the care list and on /rules/): no file names, no confidence codes.
TALK_SOURCE = "各单位公开的“五必谈”常见清单（组织自定）"
VISIT_SOURCE = "各单位公开的“五必访”常见清单（组织自定）"
VISIT_EXTRA_SOURCE = "“五必访”常见增补项（组织自定）"
ASK_SOURCE = "未找到党内公开的“五必问”清单，本单位自定默认项"

# (trigger, kind, responsible, deadline in days, confidence, source)
DEFAULT_RULES: tuple[tuple[str, str, str, int, str, str], ...] = (
    # 五必谈
    ("post_change", "talk", "secretary", 30, "S", TALK_SOURCE),
    ("discipline", "talk", "secretary", 7, "S", TALK_SOURCE),
    ("hardship", "talk", "secretary", 7, "S", TALK_SOURCE),
    ("problem_signs", "talk", "secretary", 7, "S", TALK_SOURCE),
    ("colleague_tension", "talk", "secretary", 14, "S", TALK_SOURCE),
    # 五必访
    ("illness", "visit", "secretary", 3, "S", VISIT_SOURCE),
    ("bereavement", "visit", "secretary", 3, "S", VISIT_SOURCE),
    ("marriage", "visit", "care_officer", 7, "S", VISIT_SOURCE),
    ("childbirth", "visit", "care_officer", 7, "S", VISIT_SOURCE),
    ("hardship", "visit", "care_officer", 7, "S", VISIT_SOURCE),
    ("long_leave", "visit", "secretary", 14, "S", VISIT_SOURCE),
    ("birthday", "visit", "care_officer", 0, "S", VISIT_EXTRA_SOURCE),
    ("retirement", "visit", "care_officer", 30, "S", VISIT_EXTRA_SOURCE),
    ("new_hire", "visit", "department_head", 30, "S", VISIT_EXTRA_SOURCE),
    # 五必问
    ("leave_return", "ask", "secretary", 3, "L", ASK_SOURCE),
    ("milestone", "ask", "department_head", 7, "L", ASK_SOURCE),
    ("family_burden", "ask", "care_officer", 7, "L", ASK_SOURCE),
    ("hardship", "ask", "care_officer", 3, "L", ASK_SOURCE),
    ("holiday", "ask", "care_officer", 0, "L", ASK_SOURCE),
)

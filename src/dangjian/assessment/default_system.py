"""The shipped indicator system for the branches of a research institute (党支部党建工作责任制考核), as plain data.

Pure data: no Django at import, so it is read and checked like any rule table. Total 100 points; bonus up to 5
above it; bands 好 ≥90 / 较好 ≥80 / 一般 ≥70 / 差; the top band at most 30 % of the branches (本单位设置).

Citations: an article number only where the regulation's text was checked (the same articles the facts these
leaves read already cite); otherwise the regulation's name. Weights, thresholds and the choice of evidence are the
institute's own settings and say so (本单位设置). An ``auto`` leaf reads a fact registered today (rates: ``linear``
between a floor and 100 %); what no record can measure (study quality, branch features, staff satisfaction) is
``manual``. A rate with nothing to measure (no transfer, care obligation or project due) has no value; such a
leaf says ``"if_none": "full"`` (nothing due, nothing missed) and its description says so.
《中国共产党党和国家机关基层组织工作条例》 is not cited: it governs the organs of party and state, and an institute's
branches fall under the branch regulation; a system for an institute's functional departments may cite it.
"""

from __future__ import annotations

from typing import Any

BRANCH_RULES = "《中国共产党支部工作条例（试行）》"
EDUCATION_RULES = "《中国共产党党员教育管理工作条例》"
RESPONSIBILITY = "《党委（党组）落实全面从严治党主体责任规定》"
REPORTING = "《党委（党组）书记抓基层党建工作述职评议考核办法（试行）》"
DEVELOPMENT_RULES = "《中国共产党发展党员工作细则》"
LOCAL = "本单位设置"

SYSTEM: dict[str, Any] = {
    "name": "研究所党支部党建工作责任制考核指标体系",
    "applies_to": "branch",
    "valid_from": 2026,
    "valid_to": None,
    "total_points": 100,
    "bonus_cap": 5,
    "bands": [[90, "好"], [80, "较好"], [70, "一般"], [0, "差"]],
    "quotas": {"好": 0.3},
    "note": (
        "依据" + BRANCH_RULES + "、" + RESPONSIBILITY + "和" + REPORTING + "制定；"
        "分值、计分方式和“好”等次比例（不超过30%）为本单位设置。"
    ),
}


def leaf(
    name: str,
    points: float,
    method: str,
    *,
    description: str,
    evidence: str = "",
    department: str = "组织",
    citation: str = LOCAL,
    params: dict[str, Any] | None = None,
    fact: str = "",
) -> dict[str, Any]:
    return {
        "name": name,
        "points": points,
        "method": method,
        "description": description,
        "evidence": evidence,
        "scoring_department": department,
        "citation": citation,
        "params": params or {},
        "fact_key": fact,
    }


def group(name: str, *children: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "children": list(children)}


_BASE_TREE: list[dict[str, Any]] = [
    group(
        "政治建设",
        leaf(
            "理论学习",
            8,
            "manual",
            description="落实“第一议题”制度，支部每月组织集体学习，学习有计划、有记录、有研讨；党员学习全覆盖。"
            "按学习计划、记录和研讨质量评分。",
            evidence="年度学习计划、学习记录、研讨发言材料",
            department="宣传",
            citation=BRANCH_RULES + "；" + EDUCATION_RULES,
        ),
        leaf(
            "意识形态工作",
            3,
            "manual",
            description="落实意识形态工作责任制，定期分析党员职工思想动态，阵地管理规范，无意识形态问题。",
            evidence="思想动态分析记录、阵地管理台账",
            department="宣传",
            citation=RESPONSIBILITY,
        ),
        leaf(
            "学习培训学时",
            3,
            "auto",
            description="党员年度学习培训学时达到32学时的比例：80%及以下不得分，100%得满分，其间按比例计分。",
            evidence="学时统计（系统自动汇总）",
            citation=EDUCATION_RULES + "第二十条；计分区间" + LOCAL,
            params={"kind": "linear", "from": 80, "to": 100},
            fact="hours.met_rate",
        ),
    ),
    group(
        "组织建设",
        group(
            "组织生活",
            leaf(
                "三会一课按期完成",
                10,
                "auto",
                description="当年支部党员大会、支委会、党小组会和党课各项义务的按期完成率："
                "60%及以下不得分，100%得满分，其间按比例计分。",
                evidence="会议记录（系统自动统计）",
                citation=BRANCH_RULES + "第十一至十三条；" + EDUCATION_RULES + "第十六条；计分区间" + LOCAL,
                params={"kind": "linear", "from": 60, "to": 100},
                fact="compliance.three_meetings.rate",
            ),
            leaf(
                "主题党日按期开展",
                4,
                "auto",
                description="每月开展1次主题党日，当年按月开展的比例：75%（9个月）及以下不得分，100%得满分，其间按比例计分。",
                evidence="主题党日记录（系统自动统计）",
                citation=EDUCATION_RULES + "第十六条；计分区间" + LOCAL,
                params={"kind": "linear", "from": 75, "to": 100},
                fact="compliance.theme_day.rate",
            ),
            leaf(
                "组织生活出席率",
                4,
                "auto",
                description="党员参加组织生活的出席率：70%及以下不得分，95%及以上得满分，其间按比例计分。",
                evidence="签到记录（系统自动统计）",
                citation=BRANCH_RULES + "；计分区间" + LOCAL,
                params={"kind": "linear", "from": 70, "to": 95},
                fact="meetings.attendance_rate",
            ),
            leaf(
                "召开组织生活会",
                3,
                "auto",
                description="每年至少召开1次组织生活会，开展批评和自我批评。",
                evidence="组织生活会记录、对照检查材料",
                citation=EDUCATION_RULES + "第十七条",
                params={"kind": "threshold", "at_least": 1},
                fact="meetings.life_meeting.held",
            ),
            leaf(
                "开展民主评议党员",
                3,
                "auto",
                description="完成年度民主评议党员并经党员大会确认。",
                evidence="民主评议结果（系统自动统计）",
                citation=EDUCATION_RULES,
                params={"kind": "threshold", "at_least": 1},
                fact="appraisal.done",
            ),
            leaf(
                "谈心谈话覆盖",
                4,
                "auto",
                description="支部委员与党员年度谈心谈话覆盖率：50%及以下不得分，100%得满分，其间按比例计分。",
                evidence="谈心谈话记录（系统自动统计）",
                citation=BRANCH_RULES + "；计分区间" + LOCAL,
                params={"kind": "linear", "from": 50, "to": 100},
                fact="talks.coverage",
            ),
        ),
        group(
            "党员队伍",
            leaf(
                "发展党员按期规范",
                4,
                "auto",
                description="发展党员各步骤按规定时限办理；每有1个超期步骤扣1分，扣完为止。",
                evidence="发展党员档案（系统自动统计）",
                citation=DEVELOPMENT_RULES + "；扣分标准" + LOCAL,
                params={"kind": "per_occurrence", "each": -1},
                fact="development.steps_overdue",
            ),
            leaf(
                "党费按月交纳",
                2,
                "auto",
                description="党员按月交纳党费的比例：90%及以下不得分，100%得满分，其间按比例计分。",
                evidence="党费收缴台账（系统自动统计）",
                citation="《关于中国共产党党费收缴、使用和管理的规定》；计分区间" + LOCAL,
                params={"kind": "linear", "from": 90, "to": 100},
                fact="dues.paid_rate",
            ),
            leaf(
                "无欠缴党费",
                3,
                "auto",
                description="连续未交纳党费的党员，每人扣1分，扣完为止。",
                evidence="党费欠缴名单（系统自动统计）",
                citation="《关于中国共产党党费收缴、使用和管理的规定》；扣分标准" + LOCAL,
                params={"kind": "per_occurrence", "each": -1},
                fact="dues.arrears_members",
            ),
            leaf(
                "组织关系转接及时",
                2,
                "auto",
                description="当年到期的组织关系转接在介绍信有效期内办结的比例：50%及以下不得分，100%得满分，"
                "其间按比例计分；当年没有到期转接的得满分。",
                evidence="组织关系转接记录（系统自动统计）",
                citation=EDUCATION_RULES + "第二十五条；介绍信有效期和计分区间" + LOCAL,
                params={"kind": "linear", "from": 50, "to": 100, "if_none": "full"},
                fact="transfers.on_time_rate",
            ),
            leaf(
                "失联党员处置",
                2,
                "auto",
                description="失去联系的党员，每人扣1分，扣完为止。",
                evidence="失联党员查找记录（系统自动统计）",
                citation=EDUCATION_RULES + "；扣分标准" + LOCAL,
                params={"kind": "per_occurrence", "each": -1},
                fact="transfers.lost_contact",
            ),
        ),
        group(
            "支部自身建设",
            leaf(
                "支部委员会建设",
                3,
                "manual",
                description="支部委员会按期换届，委员配备齐全、分工明确；支委会研究工作有记录。",
                evidence="换届选举材料、支委分工、支委会记录",
                citation=BRANCH_RULES,
            ),
            leaf(
                "基础工作和台账",
                2,
                "manual",
                description="工作计划、总结和台账齐全规范。",
                evidence="年度工作计划、总结、党建工作台账",
            ),
        ),
    ),
    group(
        "作风建设和纪律建设",
        leaf(
            "落实全面从严治党责任",
            4,
            "manual",
            description="支部书记履行第一责任人职责，支部委员落实“一岗双责”，年度研究部署全面从严治党工作。",
            evidence="责任清单、研究部署记录",
            department="纪检",
            citation=RESPONSIBILITY,
        ),
        leaf(
            "廉洁教育和警示教育",
            3,
            "manual",
            description="开展廉洁教育、警示教育，节假日等重要节点有提醒。",
            evidence="教育活动记录",
            department="纪检",
            citation=RESPONSIBILITY,
        ),
        leaf(
            "作风建设",
            3,
            "manual",
            description="落实中央八项规定精神，纠治“四风”，无作风问题。",
            evidence="自查材料",
            department="纪检",
            citation=RESPONSIBILITY,
        ),
    ),
    group(
        "党建与科研生产融合",
        # 同部署、同推进、同考核 (issue 15 §2): the plan's deployments scored from the records, 3 of the 6 points
        leaf(
            "工作计划任务完成率",
            2,
            "auto",
            description="本支部承担的、完成时限在当年的年度工作计划部署任务中已完成的比例：60%及以下不得分，100%得满分，"
            "其间按比例计分；当年没有部署任务的得满分。",
            evidence="年度工作计划部署与推进记录（系统自动统计）",
            params={"kind": "linear", "from": 60, "to": 100, "if_none": "full"},
            fact="workplan.deployments.completion_rate",
        ),
        leaf(
            "工作计划按期完成率",
            1,
            "auto",
            description="上述部署任务中在完成时限内完成的比例：50%及以下不得分，100%得满分，其间按比例计分；"
            "当年没有部署任务的得满分。",
            evidence="年度工作计划部署与推进记录（系统自动统计）",
            params={"kind": "linear", "from": 50, "to": 100, "if_none": "full"},
            fact="workplan.deployments.on_time_rate",
        ),
        leaf(
            "党建与科研生产深度融合",
            3,
            "manual",
            description="党建工作与科研生产任务同谋划、同部署、同落实、同考核；围绕重点任务开展党建工作。",
            evidence="融合工作计划、重点任务党建工作记录",
            citation=REPORTING + "；" + LOCAL,
        ),
        leaf(
            "党员先锋模范作用",
            5,
            "manual",
            description="党员示范岗、党员责任区、党员突击队（攻关团队）作用发挥明显。",
            evidence="示范岗、责任区、突击队的设立与成效材料",
            citation=LOCAL,
        ),
        leaf(
            "一支部一特色",
            5,
            "manual",
            description="结合本部门业务打造支部特色品牌，有载体、有成效。",
            evidence="特色品牌方案和成效材料",
            citation=LOCAL,
        ),
        leaf(
            "科研生产任务完成",
            4,
            "manual",
            description="所在部门年度科研生产任务完成情况，由科研生产管理部门评价。",
            evidence="部门年度任务完成情况",
            department="科研生产",
            citation=LOCAL,
        ),
    ),
    group(
        "群众工作和关怀",
        leaf(
            "五必问五必谈五必访按时办结",
            4,
            "auto",
            description="关怀事项按时办结率：60%及以下不得分，100%得满分，其间按比例计分；当年没有到期关怀事项的得满分。",
            evidence="关怀事项记录（系统自动统计）",
            department="工会",
            citation=LOCAL,
            # Obligations arise only from a member's life event (illness, bereavement, …): a branch where nothing
            # happened had nothing due and missed nothing, so it scores full, like a year without a transfer due.
            params={"kind": "linear", "from": 60, "to": 100, "if_none": "full"},
            fact="care.obligations_on_time_rate",
        ),
        leaf(
            "办实事项目按期完成",
            2,
            "auto",
            description="年度为群众办实事项目按期完成率：50%及以下不得分，100%得满分，其间按比例计分；"
            "当年没有到期项目的得满分。",
            evidence="办实事项目清单和节点（系统自动统计）",
            department="工会",
            citation=LOCAL,
            # The leaf measures keeping to the projects' own deadlines. Many projects are the institute's (the
            # party committee's), not a branch's: a branch with none due missed no deadline. Whether a branch's
            # projects meet its staff's needs is the manual leaf 我为群众办实事.
            params={"kind": "linear", "from": 50, "to": 100, "if_none": "full"},
            fact="care.matters_on_time_rate",
        ),
        leaf(
            "我为群众办实事",
            1,
            "manual",
            description="办实事项目切合职工需求、成效明显，职工满意。",
            evidence="办实事项目佐证材料、职工评价",
            department="工会",
            citation=LOCAL,
        ),
        leaf(
            "群团工作",
            3,
            "manual",
            description="指导工会、共青团等群团组织开展工作。",
            evidence="群团工作记录",
            department="工会",
            citation=BRANCH_RULES,
        ),
    ),
    group(
        "加分和扣分",
        leaf(
            "上级表彰",
            5,
            "bonus",
            description="支部或党员获上级党组织表彰，按级别每次加1至3分，累计不超过5分。",
            evidence="表彰文件",
            params={"combine": "sum"},
        ),
        leaf(
            "通报批评",
            10,
            "deduction",
            description="支部或党员因党建工作被上级通报批评，每次扣3分，累计不超过10分。",
            evidence="通报文件",
            params={"combine": "sum"},
        ),
        leaf(
            "一票否决",
            0,
            "veto",
            description="支部班子成员发生严重违纪违法问题，或发生重大安全、保密事故的，直接评为“差”。",
            evidence="处理决定",
            department="纪检",
            citation=RESPONSIBILITY + "；" + LOCAL,
        ),
    ),
]


# Issue 15 §7: auto indicators on the integration facts (融合矩阵覆盖率, 承诺践诺率, 示范岗评议率): the 5 points of
# 党员先锋模范作用 shared between the three rates and what no record measures (the carriers' effect). Members in
# carriers (``integration.carriers.members``) is a count that grows with the branch's size, so it informs the
# manual leaf rather than scoring on its own.
INTEGRATION_LEAVES: list[dict[str, Any]] = [
    leaf(
        "融合矩阵覆盖率",
        2,
        "auto",
        description="本支部承担或参与的当年重点任务中，有党建载体（示范岗、责任区、突击队、攻关团队、承诺、共建、联系点、"
        "业务主题活动）的任务所占比例：50%及以下不得分，100%得满分，其间按比例计分；当年没有重点任务的得满分。",
        evidence="融合矩阵（系统自动统计）",
        params={"kind": "linear", "from": 50, "to": 100, "if_none": "full"},
        fact="integration.matrix.coverage_rate",
    ),
    leaf(
        "党员承诺践诺率",
        1,
        "auto",
        description="当年已公示的党员承诺中年终评议为已践诺的比例（部分践诺按半数计）：60%及以下不得分，100%得满分，"
        "其间按比例计分；当年没有已公示承诺的得满分。",
        evidence="党员承诺和践诺评议记录（系统自动统计）",
        params={"kind": "linear", "from": 60, "to": 100, "if_none": "full"},
        fact="integration.pledges.fulfilment_rate",
    ),
    leaf(
        "党员示范岗评议率",
        1,
        "auto",
        description="当年在岗的党员示范岗中当年已评议的比例：50%及以下不得分，100%得满分，其间按比例计分；"
        "当年没有示范岗的得满分。",
        evidence="示范岗评议记录（系统自动统计）",
        params={"kind": "linear", "from": 50, "to": 100, "if_none": "full"},
        fact="integration.model_posts.reviewed_rate",
    ),
    leaf(
        "党员先锋模范作用",
        1,
        "manual",
        description="党员示范岗、党员责任区、党员突击队（攻关团队）作用发挥明显；参考参与党建载体的党员人数。",
        evidence="示范岗、责任区、突击队的成效材料",
    ),
]


def with_integration(tree: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """``tree`` (the base one by default) with 党员先锋模范作用 (5 points, manual) replaced by
    ``INTEGRATION_LEAVES`` (5 points: three rates and the manual remainder); the total stays 100."""
    out = []
    for node in _BASE_TREE if tree is None else tree:
        if "children" in node:
            children: list[dict[str, Any]] = []
            for child in node["children"]:
                if child.get("name") == "党员先锋模范作用" and "children" not in child:
                    children.extend(dict(leaf) for leaf in INTEGRATION_LEAVES)
                else:
                    children.append(child)
            node = {**node, "children": children}
        out.append(node)
    return out


# The shipped tree: the base with the integration leaves (issue 15 §7).
TREE: list[dict[str, Any]] = with_integration()

"""Demo rows of party work inside the business for the demo institute (issue 15 §7).

The four main lines (四大主业) with their process stages, owned by fitting departments; 43 key tasks (重点任务) and a
few ordinary ones, each owned by a department and answered for by the branch that covers it, with a leader of that
department, the people and other branches working on it and milestones (the past ones mostly done, one or two late);
党员突击队 and 攻关团队 on named tasks (one disbanded with its summary; the 整星电磁兼容 team has more than three full
members for more than six months: a temporary branch is due); 党员示范岗 and 党员责任区 in most branches (approved
with plates, one application waiting, one refused, one withdrawn after last year's low review; one zone's quarter
report missing); 亮身份、守承诺、作表率 pledges of most members for this year (most published, some submitted, draft or
returned) and last year (with 践诺); partners with agreements and joint activities; 联席 of the committee's members
with their contact points' branches; a few theme days and lectures and contact points linked to tasks. Five key
tasks (``GAPS``) have no carrier at all: the gaps the matrix shows the office.

Rows are written directly (dated no later than the reference day, ``dangjian.demo.spec.reference_date``) with
``bulk_create``; deterministic for a seed. Runs where the other apps' demos run (``generator.DEMO_APPS``: the
institute scale); before the assessment, whose cycles read the facts these rows feed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.development.models import Development
from dangjian.meetings.models import Meeting, MeetingStatus
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Department, Organization, Post
from dangjian.people.models import Membership, Person
from dangjian.talks.models import ContactPoint, ContactVisit

from .models import (
    ActivityLink,
    BusinessLine,
    ContactPointLink,
    Fulfilment,
    JointActivity,
    JointBuilding,
    LeaderLiaison,
    Milestone,
    ModelPost,
    ModelPostKind,
    ModelPostReview,
    ModelPostStatus,
    Partner,
    PartnerKind,
    Pledge,
    PledgeStatus,
    ProcessStage,
    Project,
    ProjectKind,
    ProjectStatus,
    ReportEvery,
    ResponsibilityZone,
    Taskforce,
    TaskforceKind,
    TaskforceMember,
    TaskforceReport,
    TaskforceRole,
    TaskforceStatus,
    ZoneReport,
)

BATCH = 2000
DOC = "星河所党发"

# (code, name, owner department, description, stages: (name, department))
LINES = (
    (
        "JLJZ",
        "计量校准服务",
        "计量器具检定中心",
        "面向型号研制、国防和社会用户的无线电、时间频率、电学等参数的校准检定服务。",
        (
            ("需求受理", "计量器具检定中心"),
            ("方案确定", "无线电计量室"),
            ("校准实施", "计量器具检定中心"),
            ("证书出具与交付", "质量技术处"),
            ("售后服务与回访", "计量器具检定中心"),
        ),
    ),
    (
        "YQYZ",
        "测试仪器研制",
        "仪器研制中心",
        "矢量网络分析仪、信号源、频谱分析仪等测试仪器和自动测试系统的研制与批量生产。",
        (
            ("需求论证", "科研生产处"),
            ("方案设计", "总体设计室"),
            ("研制生产", "生产调试室"),
            ("试验验收", "质量技术处"),
            ("售后保障", "生产调试室"),
        ),
    ),
    (
        "BZZZ",
        "计量标准与装置",
        "计量技术研究室",
        "计量标准的研究建立、考核复查和标准装置、校准系统的研制集成，保障量值溯源与传递。",
        (
            ("立项论证", "计量技术研究室"),
            ("方案设计", "计量技术研究室"),
            ("建标实施", "校准系统集成部"),
            ("考核验收", "质量技术处"),
            ("量值传递服务", "计量器具检定中心"),
        ),
    ),
    (
        "JCRZ",
        "检测认证与技术服务",
        "检测认证中心",
        "电磁兼容、环境可靠性、元器件、软件等检测试验和认证，以及面向用户的技术咨询服务。",
        (
            ("需求受理", "检测认证中心"),
            ("方案策划", "检测认证中心"),
            ("检测实施", "环境与可靠性试验室"),
            ("报告交付", "质量技术处"),
            ("技术服务", "检测认证中心"),
        ),
    ),
)

# (name, kind, line code, stage index, owner department, months since start, months to run, key)
# "months since start" is counted back from the reference day; a negative number is a task planned to start later.
R, P, M, T = ProjectKind.RESEARCH, ProjectKind.PRODUCTION, ProjectKind.MISSION, ProjectKind.TACKLING
PROJECTS = (
    ("5G基站射频参数现场校准服务保障", P, "JLJZ", 2, "无线电计量室", 10, 14, True),
    ("某型号卫星载荷测试设备年度集中校准", M, "JLJZ", 2, "计量器具检定中心", 8, 10, True),
    ("时间频率远程校准服务平台建设", R, "JLJZ", 1, "时间频率计量室", 20, 30, True),
    ("北斗授时终端批量校准", P, "JLJZ", 2, "时间频率计量室", 6, 9, True),
    ("矢量网络分析仪校准能力扩项", T, "JLJZ", 1, "阻抗与网络参数计量室", 14, 18, True),
    ("航天测控站设备现场校准保障", M, "JLJZ", 2, "航天测控测试室", 19, 12, True),
    ("区域计量器具周期检定保障", P, "JLJZ", 2, "计量器具检定中心", 11, 12, True),
    ("毫米波功率计校准规范编制", R, "JLJZ", 1, "功率与衰减计量室", 9, 15, True),
    ("成都地区用户校准服务能力提升", P, "JLJZ", 4, "成都分部计量一室", 13, 20, True),
    ("电学计量标准溯源比对", P, "JLJZ", 3, "电学计量室", 16, 10, True),
    ("110GHz矢量网络分析仪研制", R, "YQYZ", 2, "总体设计室", 21, 36, True),
    ("高稳定度信号源批量生产", P, "YQYZ", 2, "信号源研制室", 9, 12, True),
    ("宽带频谱分析仪国产化替代攻关", T, "YQYZ", 1, "电路设计室", 15, 24, True),
    ("自动测试系统通用平台研制", R, "YQYZ", 1, "自动测试系统室", 12, 24, True),
    ("某型雷达综合测试设备研制交付", M, "YQYZ", 3, "生产调试室", 5, 8, True),
    ("手持式场强测试仪小批量生产", P, "YQYZ", 2, "生产调试室", 7, 10, True),
    ("高精度时间间隔计数器研制", R, "YQYZ", 1, "电路设计室", 18, 20, True),
    ("仪器整机结构轻量化与环境适应性攻关", T, "YQYZ", 1, "结构工艺室", 10, 14, True),
    ("射频芯片自动测试设备研制", R, "YQYZ", 2, "射频电路测试室", 8, 18, True),
    ("噪声系数分析仪关键技术攻关", T, "YQYZ", 1, "噪声计量室", 17, 15, True),
    ("仪器生产线数字化改造", P, "YQYZ", 2, "生产调试室", -1, 12, True),
    ("量子电压标准装置研制", R, "BZZZ", 2, "量子精密测量研究室", 20, 36, True),
    ("太赫兹功率计量标准装置建设", R, "BZZZ", 1, "微波毫米波计量室", 14, 24, True),
    ("光纤时间同步标准装置研制", R, "BZZZ", 2, "时间频率计量室", 11, 20, True),
    ("激光功率计量标准国际比对", M, "BZZZ", 3, "光学计量室", 13, 9, True),
    ("大力值力标准机升级改造", P, "BZZZ", 2, "力学计量室", 9, 12, True),
    ("高温热电偶标准装置建标", P, "BZZZ", 2, "热工计量室", 16, 12, True),
    ("电子气体系列标准物质研制", R, "BZZZ", 2, "标准物质研究室", 12, 24, True),
    ("电磁场强度计量标准装置复查考核", P, "BZZZ", 3, "计量技术研究室", 4, 6, True),
    ("多参数自动校准系统集成", P, "BZZZ", 2, "校准系统集成部", 10, 14, True),
    ("声学计量标准装置更新", P, "BZZZ", 2, "声学计量室", 8, 12, True),
    ("微波暗室天线测量系统建设", M, "BZZZ", 2, "天线测量室", 15, 18, True),
    ("几何量在线测量标准装置研制", R, "BZZZ", 1, "几何量计量室", 6, 24, True),
    ("某型号整星电磁兼容试验", M, "JCRZ", 2, "系统级电磁兼容室", 9, 12, True),
    ("新能源汽车电磁兼容检测能力建设", R, "JCRZ", 1, "辐射发射测试室", 12, 18, True),
    ("型号软件第三方测评", P, "JCRZ", 2, "软件测评中心", 10, 12, True),
    ("宇航元器件批次检测与筛选", P, "JCRZ", 2, "元器件检测室", 11, 14, True),
    ("北斗导航终端检测认证", P, "JCRZ", 3, "卫星导航测试室", 7, 10, True),
    ("高低温湿热综合环境试验能力扩展", T, "JCRZ", 2, "环境与可靠性试验室", 14, 16, True),
    ("国产FPGA失效分析技术攻关", T, "JCRZ", 2, "失效分析室", 13, 20, True),
    ("5G通信设备入网检测", P, "JCRZ", 2, "通信测试室", 5, 9, True),
    ("检验检测机构资质认定与实验室认可复评审", M, "JCRZ", 4, "检测认证中心", 3, 4, True),
    ("抗扰度测试自动化平台研制", R, "JCRZ", 2, "抗扰度测试室", -2, 15, True),
    ("实验室信息管理系统升级", P, "JLJZ", 0, "计量信息中心", 8, 10, False),
    ("计量培训教材修订", P, "JLJZ", 4, "计量培训中心", 10, 12, False),
    ("频谱监测设备年度维护", P, "JCRZ", 4, "频谱监测室", 9, 12, False),
    ("科技档案数字化", P, "BZZZ", 4, "综合办公室", 6, 12, False),
)
# Key tasks no carrier attaches to: the empty rows the matrix shows the office.
GAPS = frozenset(
    {
        "声学计量标准装置更新",
        "几何量在线测量标准装置研制",
        "手持式场强测试仪小批量生产",
        "5G通信设备入网检测",
        "毫米波功率计校准规范编制",
    }
)
SUSPENDED = "高精度时间间隔计数器研制"
MILESTONES = {
    R: ("开题论证", "方案评审", "原理样机研制", "工程样机测试", "鉴定验收"),
    P: ("任务下达", "生产准备", "首批交付", "全部交付", "总结归档"),
    M: ("任务动员", "技术准备", "现场实施", "考核验收", "总结表彰"),
    T: ("问题梳理", "技术路线确定", "关键技术突破", "验证测试", "成果固化"),
}

# (task, kind, name, mission, months since start, disbanded)
TASKFORCES = (
    (
        "某型号整星电磁兼容试验",
        TaskforceKind.COMMANDO,
        "整星电磁兼容试验党员突击队",
        "承担某型号整星电磁兼容试验的试验方案、现场测试和问题归零，确保试验节点按期完成、数据零差错。",
        8,
        False,
    ),
    (
        "110GHz矢量网络分析仪研制",
        TaskforceKind.TACKLING,
        "110GHz矢网研制党员攻关团队",
        "攻克110GHz频段校准件、宽带接收机和高稳定源等关键技术，按节点完成工程样机研制。",
        14,
        False,
    ),
    (
        "量子电压标准装置研制",
        TaskforceKind.TACKLING,
        "量子电压标准党员攻关团队",
        "围绕约瑟夫森结阵驱动与低温系统稳定性开展攻关，建立量子电压标准装置。",
        10,
        False,
    ),
    (
        "航天测控站设备现场校准保障",
        TaskforceKind.COMMANDO,
        "航天测控现场校准党员突击队",
        "赴各测控站开展设备现场校准保障，确保发射任务前全部设备校准合格。",
        18,
        True,
    ),
    (
        "某型雷达综合测试设备研制交付",
        TaskforceKind.COMMANDO,
        "雷达综合测试设备交付党员突击队",
        "集中力量完成某型雷达综合测试设备联调、验收和交付，确保按合同节点交付用户。",
        4,
        False,
    ),
    (
        "时间频率远程校准服务平台建设",
        TaskforceKind.TACKLING,
        "时频远程校准党员攻关团队",
        "攻关卫星共视与光纤授时远程校准方法，建成面向用户的时间频率远程校准服务平台。",
        12,
        False,
    ),
    (
        "国产FPGA失效分析技术攻关",
        TaskforceKind.TACKLING,
        "FPGA失效分析党员攻关团队",
        "建立国产FPGA失效分析流程和定位方法，支撑型号元器件质量问题归零。",
        9,
        False,
    ),
)
TEAM_REPORTS = (
    "完成阶段工作计划分解，党员骨干分别牵头关键环节，节点进度受控。",
    "集中攻关解决关键技术问题一项，党员带头加班加点，阶段任务按期完成。",
    "组织开展现场测试，发现并闭环问题若干，队员表现突出，已向所党委汇报。",
    "克服人手紧张困难，党员主动承担夜间值守，阶段目标完成。",
)

POST_DUTIES = (
    "严格执行校准规程和质量体系文件，按期完成承担的检定校准任务，做到证书零差错。",
    "牵头承担关键技术环节，带头攻坚克难，按节点完成研制任务。",
    "做好用户接待和技术咨询，及时响应用户需求，提升服务满意度。",
    "负责实验室标准装置的日常维护和期间核查，保障量值准确可靠。",
    "带好青年职工，做好传帮带，推动班组技术能力提升。",
)
POST_COMMITMENTS = (
    "亮明党员身份，做到服务用户零投诉、校准结果零差错。",
    "关键时刻冲在前，急难险重任务主动担，全年无质量事故。",
    "带头学技术、钻业务，全年完成技术革新一项以上。",
    "严守保密纪律和廉洁从业规定，做遵规守纪的表率。",
)
ZONE_AREAS = (
    "本室标准实验室及其在用标准装置的日常管理、安全和保密",
    "本室承担的重点任务中所负责环节的进度和质量",
    "本党小组联系的青年职工和新入职人员的思想和业务帮扶",
    "现场校准和外场试验期间的安全生产与质量控制",
)
ZONE_COMMITMENTS = "每季度走访责任区内职工，掌握思想动态；带头落实安全保密责任；责任区内全年无质量和安全事故。"
ZONE_REPORT = (
    "按计划检查责任区内实验室安全和保密情况，开展谈心谈话，协调解决职工实际困难。",
    "带领责任区内职工完成阶段任务，组织一次技术交流，督促整改发现的问题。",
    "落实安全生产检查，开展保密自查，责任区内未发生质量和安全问题。",
)
PROMISES = (
    "立足岗位当先锋，全年按期完成承担的校准检定任务，证书差错率为零。",
    "在重点任务攻关中冲锋在前，带头解决技术难题，按节点完成所承担的研制工作。",
    "带好一名青年职工，做好传帮带，帮助其尽快独立承担工作。",
    "严守保密纪律和廉洁从业规定，自觉接受群众监督，做遵纪守法的表率。",
    "主动服务用户，及时响应用户需求，全年无用户投诉。",
    "认真参加组织生活，按时足额交纳党费，学习教育学时达标。",
)
RETIREE_PROMISES = (
    "坚持政治学习，按时参加支部活动，发挥余热为年轻同志讲好创业故事。",
    "关心所里发展，带头遵守社区规定，参加志愿服务活动。",
)

# (name, kind, registering room, counterpart party organisation, contact)
PARTNERS = (
    ("星辰卫星总体设计部", PartnerKind.CUSTOMER, "系统级电磁兼容室", "星辰卫星总体设计部党委", "周建华"),
    ("华北电力计量中心", PartnerKind.CUSTOMER, "计量器具检定中心", "华北电力计量中心党支部", "孙立新"),
    ("北辰精密仪器有限公司", PartnerKind.SUPPLIER, "生产调试室", "北辰精密仪器有限公司党总支", "刘海涛"),
    ("中微电子元器件有限公司", PartnerKind.SUPPLIER, "元器件检测室", "中微电子元器件有限公司党委", "陈晓东"),
    ("京华理工大学电子工程学院", PartnerKind.UNIVERSITY, "总体设计室", "京华理工大学电子工程学院党委", "王立群"),
    ("北方航空航天大学仪器科学学院", PartnerKind.UNIVERSITY, "量子精密测量研究室", "仪器科学学院教工党支部", "赵敏"),
    ("星河街道滨河社区", PartnerKind.COMMUNITY, "离退休第一党支部", "滨河社区党委", "李秀英"),
    ("市市场监督管理局计量处", PartnerKind.GOVERNMENT, "检测认证中心", "市市场监督管理局计量处党支部", "杨帆"),
)
# (partner, agreement, content, task or "" (a stage of the task's line when the second field is a line code))
AGREEMENTS = (
    (
        "星辰卫星总体设计部",
        "整星电磁兼容试验党建共建协议",
        "围绕型号试验共商节点、共解难题、共育人才。",
        "某型号整星电磁兼容试验",
    ),
    (
        "华北电力计量中心",
        "计量服务党建联建协议",
        "共建计量服务窗口，联合开展送检上门和用户回访。",
        "区域计量器具周期检定保障",
    ),
    ("北辰精密仪器有限公司", "供应链党建共建协议", "围绕关键零部件质量共抓质量、共保交付。", "高稳定度信号源批量生产"),
    (
        "中微电子元器件有限公司",
        "元器件质量党建共建协议",
        "围绕元器件批次质量开展联合质量分析和技术交流。",
        "宇航元器件批次检测与筛选",
    ),
    (
        "京华理工大学电子工程学院",
        "产学研党建共建协议",
        "联合攻关毫米波测试技术，共建研究生实践基地。",
        "110GHz矢量网络分析仪研制",
    ),
    (
        "北方航空航天大学仪器科学学院",
        "量子计量党建共建协议",
        "共建量子精密测量联合实验室，联合培养青年人才。",
        "量子电压标准装置研制",
    ),
    ("星河街道滨河社区", "所地党建共建协议", "组织离退休党员参加社区志愿服务和科普进社区活动。", ""),
    (
        "市市场监督管理局计量处",
        "计量惠民党建共建协议",
        "联合开展“计量惠民”服务和诚信计量示范活动。",
        "检验检测机构资质认定与实验室认可复评审",
    ),
)
JOINT_ACTIVITIES = (
    ("联合主题党日：共学共建促发展", "双方党员共同学习，交流党建与业务融合经验。", "形成合作事项清单3项。"),
    ("技术难题联合攻关座谈会", "围绕任务中的技术难题开展专题研讨。", "明确联合攻关方向，解决问题2项。"),
    ("党员志愿服务进现场", "党员志愿者赴现场开展技术服务和答疑。", "服务用户20余家，收到感谢信1封。"),
    ("青年党员联合实践活动", "组织双方青年党员开展实践交流。", "建立青年人才交流机制。"),
)
VISITS = (
    ("参加支部主题党日，听取支部承担重点任务进展情况汇报。", "青年骨干承担任务较重，建议加强人才梯队建设。"),
    ("到实验室一线调研标准装置建设和党员示范岗履职情况。", "实验用房紧张，需协调解决。"),
    ("与支部委员座谈，了解党员突击队工作开展情况。", ""),
    ("参加支部组织生活会，指导支部查摆问题、制定整改措施。", "部分整改措施不够具体，需细化时限。"),
)
LIAISON_TOPICS = (
    ("听取支部承担重点任务进展和党建工作情况汇报，研究解决实验条件问题。", "协调资产保障处解决实验用房问题。"),
    ("研究支部党员突击队组建和任务保障事项。", "由科研生产处牵头协调人员和经费保障。"),
    ("座谈青年科技人员成长和职称评聘问题。", "人力资源处研究青年人才专项培养措施。"),
    ("研究型号任务质量问题归零和党员责任落实。", "质量技术处跟踪归零进展，支部每月报告。"),
)


@dataclass
class World:
    """What every part of the demo looks up, read once."""

    root: Organization
    office: User
    secretary: User | None
    ref: date
    branches: list[Organization]
    branch_of_dept: dict[str, Organization]
    dept_id: dict[str, int]
    members: dict[int, list[Membership]] = field(default_factory=dict)  # by branch, full and probationary
    staff: dict[int, list[int]] = field(default_factory=dict)  # person ids by department
    members_by_person: dict[int, Membership] = field(default_factory=dict)
    secretaries: dict[int, int] = field(default_factory=dict)  # branch → person
    activists: dict[int, list[int]] = field(default_factory=dict)  # branch → person ids
    leaders: list[int] = field(default_factory=list)  # the committee's members, its secretary first

    def reviewer(self, org: Organization) -> User:
        """Who signs a branch's decisions in the demo: the demo secretary in their branch, else the office."""
        if self.secretary is not None and org.name == flagship.SECRETARY_BRANCH:
            return self.secretary
        return self.office

    def responsible(self, org: Organization) -> int | None:
        ms = self.members.get(org.pk, [])
        return self.secretaries.get(org.pk) or next((m.person_id for m in ms if m.status == "full"), None)

    def past(self, day: date) -> date:
        return min(day, self.ref)


def world() -> World | None:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    office = User.objects.filter(username="office").first()
    if root is None or office is None:
        return None
    ref = reference_date()
    orgs = list(Organization.objects.subtree(root).filter(dissolved_on__isnull=True).order_by("path"))
    branches = [o for o in orgs if o.kind == "branch"]
    by_pk = {o.pk: o for o in orgs}
    branch_of_dept: dict[str, Organization] = {}
    through = Organization.departments.through
    links = through.objects.filter(organization_id__in=by_pk).values_list("organization_id", "department__name")
    for org_id, dept in sorted(links, key=lambda r: (by_pk[r[0]].kind != "branch", by_pk[r[0]].path)):
        branch_of_dept.setdefault(dept, by_pk[org_id])
    w = World(
        root=root,
        office=office,
        secretary=User.objects.filter(username="secretary").first(),
        ref=ref,
        branches=branches,
        branch_of_dept=branch_of_dept,
        dept_id=dict(Department.objects.values_list("name", "pk")),
    )
    w.members = defaultdict(list)
    for m in Membership.objects.current().filter(organization__in=branches).order_by("person_id"):
        w.members[m.organization_id].append(m)
        w.members_by_person[m.person_id] = m
    w.staff = defaultdict(list)
    staff = Person.objects.exclude(employment="retired").order_by("pk").values_list("pk", "department_id")
    for pk, dept in staff:
        w.staff[dept].append(pk)
    latest: dict[int, int] = {}
    for org_id, term_id in (
        CommitteeTerm.objects.filter(organization__in=orgs)
        .order_by("organization_id", "-elected_on")
        .values_list("organization_id", "pk")
    ):
        latest.setdefault(org_id, term_id)
    by_term = {t: o for o, t in latest.items()}
    posts = CommitteePost.objects.filter(term_id__in=by_term).order_by("pk").values_list("term_id", "person_id", "post")
    for term_id, person_id, post in posts:
        org_id = by_term[term_id]
        if org_id == root.pk:
            if post == Post.SECRETARY:
                w.leaders.insert(0, person_id)
            elif person_id not in w.leaders:
                w.leaders.append(person_id)
        elif post == Post.SECRETARY:
            w.secretaries.setdefault(org_id, person_id)
    w.activists = defaultdict(list)
    for branch_id, person_id in (
        Development.objects.filter(branch__in=branches, stage__in=("activist", "candidate"), status="open")
        .order_by("pk")
        .values_list("branch_id", "person_id")
    ):
        w.activists[branch_id].append(person_id)
    return w


def generate_demo(seed: int) -> dict[str, int]:
    w = world()
    if w is None:
        return {}
    rng = random.Random(seed * 17 + 11)
    counts: dict[str, int] = {}
    lines, stages = _lines(w)
    counts["integration.BusinessLine"], counts["integration.ProcessStage"] = len(lines), len(stages)
    projects = _projects(rng, w, lines, stages, counts)
    covered = [p for p in projects if p.key and p.name not in GAPS and p.status != ProjectStatus.PLANNED]
    counts.update(_taskforces(rng, w, projects))
    counts.update(_posts_and_zones(rng, w, covered, stages))
    counts.update(_pledges(rng, w, covered, stages))
    counts.update(_joint(rng, w, projects, stages))
    counts.update(_liaisons_and_links(rng, w, covered))
    return counts


def _lines(w: World) -> tuple[dict[str, BusinessLine], list[ProcessStage]]:
    lines = {
        code: BusinessLine(
            organization=w.root,
            code=code,
            name=name,
            description=text,
            department_id=w.dept_id.get(dept),
            order=n,
        )
        for n, (code, name, dept, text, _stages) in enumerate(LINES, start=1)
    }
    BusinessLine.objects.bulk_create(lines.values())
    stages = [
        ProcessStage(line=lines[code], name=name, order=k, department_id=w.dept_id.get(dept))
        for code, _n, _d, _t, steps in LINES
        for k, (name, dept) in enumerate(steps, start=1)
    ]
    ProcessStage.objects.bulk_create(stages)
    return lines, stages


def _months(day: date, n: int) -> date:
    y, m = divmod(day.month - 1 + n, 12)
    return date(day.year + y, m + 1, min(day.day, 28))


def _projects(
    rng: random.Random, w: World, lines: dict[str, BusinessLine], stages: list[ProcessStage], counts: dict[str, int]
) -> list[Project]:
    stage_of = {(s.line.code, s.order - 1): s for s in stages}
    projects, people, others, milestones = [], [], [], []
    for n, (name, kind, code, step, dept, since, runs, key) in enumerate(PROJECTS, start=1):
        starts = _months(w.ref, -since) - timedelta(days=rng.randint(0, 20))
        ends = _months(starts, runs)
        if since < 0:
            status = ProjectStatus.PLANNED
        elif name == SUSPENDED:
            status = ProjectStatus.SUSPENDED
        elif ends < w.ref:
            status = ProjectStatus.DONE
        else:
            status = ProjectStatus.ACTIVE
        branch = w.branch_of_dept.get(dept, w.root)
        dept_pk = w.dept_id.get(dept)
        team = list(w.staff.get(dept_pk, []))
        party = [pk for pk in team if pk in w.members_by_person and w.members_by_person[pk].status == "full"]
        leader = rng.choice(party) if party else (team[0] if team else None)
        project = Project(
            code=f"XH-{starts.year}-{code}-{n:03d}",
            name=name,
            kind=kind,
            key=key,
            line=lines[code],
            stage=stage_of[(code, step)],
            department_id=dept_pk,
            leader_id=leader,
            organization=branch,
            status=status,
            starts_on=starts,
            ends_on=ends,
            description=f"{name}，由{dept}承担，{branch.name}负责党建工作与任务同部署、同推进。",
        )
        projects.append(project)
        people.append(sorted(set(rng.sample(team, min(len(team), rng.randint(4, 9)))) | ({leader} - {None})))
        partner_rooms = [r for r in _CO_ROOMS.get(code, ()) if r != dept]
        others.append([w.branch_of_dept[r] for r in rng.sample(partner_rooms, 1) if r in w.branch_of_dept])
    Project.objects.bulk_create(projects)
    through_people = Project.people.through
    through_people.objects.bulk_create(
        [through_people(project_id=p.pk, person_id=pk) for p, ids in zip(projects, people, strict=True) for pk in ids],
        batch_size=BATCH,
    )
    through_orgs = Project.organizations.through
    through_orgs.objects.bulk_create(
        [
            through_orgs(project_id=p.pk, organization_id=o.pk)
            for p, orgs in zip(projects, others, strict=True)
            for o in orgs
            if o.pk != p.organization_id
        ]
    )
    late_left = 2  # two past milestones not done: an overdue node or two on the task pages
    for p in projects:
        names = MILESTONES[p.kind]
        span = (p.ends_on - p.starts_on).days
        for k, label in enumerate(names, start=1):
            due = p.starts_on + timedelta(days=span * k // len(names))
            done = None
            if due <= w.ref and p.status != ProjectStatus.PLANNED:
                if p.status == ProjectStatus.ACTIVE and late_left and k > 1 and rng.random() < 0.3:
                    late_left -= 1
                else:
                    done = w.past(due + timedelta(days=rng.randint(-10, 15)))
            milestones.append(Milestone(project=p, name=label, due_on=due, done_on=done, order=k))
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    counts["integration.Project"] = len(projects)
    counts["integration.Milestone"] = len(milestones)
    return projects


# The rooms that usually work with a line's owner on its tasks (the other branches of a task).
_CO_ROOMS = {
    "JLJZ": ("计量器具检定中心", "质量技术处", "计量信息中心", "无线电计量室", "电学计量室"),
    "YQYZ": ("总体设计室", "电路设计室", "结构工艺室", "生产调试室", "科研生产处"),
    "BZZZ": ("计量技术研究室", "校准系统集成部", "质量技术处", "标准化研究室"),
    "JCRZ": ("检测认证中心", "质量技术处", "环境与可靠性试验室", "元器件检测室"),
}


def _taskforces(rng: random.Random, w: World, projects: list[Project]) -> dict[str, int]:
    by_name = {p.name: p for p in projects}
    teams, rosters, reports = [], [], []
    for n, (task, kind, name, mission, since, disbanded) in enumerate(TASKFORCES, start=1):
        p = by_name[task]
        starts = max(p.starts_on, _months(w.ref, -since))
        ends = w.past(min(p.ends_on or w.ref, _months(starts, 10))) if disbanded else None
        team = Taskforce(
            organization=p.organization,
            project=p,
            kind=kind,
            name=name,
            mission=mission,
            notice_no=f"{DOC}〔{starts.year}〕{20 + n}号",
            flag_presented_on=w.past(starts + timedelta(days=rng.randint(3, 10))),
            status=TaskforceStatus.DISBANDED if disbanded else TaskforceStatus.ACTIVE,
            summary=(
                f"突击队历时{(ends - starts).days // 30}个月，完成全部测控站设备现场校准，保障发射任务圆满成功；"
                "队员中2人被评为所优秀共产党员，形成现场校准保障工作法一项。"
                if disbanded and ends
                else ""
            ),
            starts_on=starts,
            ends_on=ends,
            created_by=w.office,
        )
        teams.append(team)
        branch_members = w.members.get(p.organization_id, [])
        full = [m.person_id for m in branch_members if m.status == "full"]
        probationary = [m.person_id for m in branch_members if m.status == "probationary"]
        crew = rng.sample(full, min(len(full), rng.randint(4, 7)))
        crew += probationary[:1] + w.activists.get(p.organization_id, [])[:1]
        in_party = set(w.members_by_person) | set(w.activists.get(p.organization_id, []))
        outsiders = [pk for pk in w.staff.get(p.department_id, []) if pk not in in_party]
        crew += outsiders[:2]  # non-member staff working on the task
        for k, person in enumerate(dict.fromkeys(crew)):
            role = TaskforceRole.CAPTAIN if k == 0 else TaskforceRole.VICE_CAPTAIN if k == 1 else TaskforceRole.MEMBER
            joined = starts if k < 5 else w.past(starts + timedelta(days=rng.randint(20, 90)))
            left = ends if disbanded else None
            rosters.append((team, TaskforceMember(person_id=person, role=role, joined_on=joined, left_on=left)))
        day, k = _months(starts, 3), 0
        while day <= (ends or w.ref):
            reports.append(
                (
                    team,
                    TaskforceReport(reported_on=day, content=TEAM_REPORTS[k % len(TEAM_REPORTS)], reported_by=w.office),
                )
            )
            day, k = _months(day, 3), k + 1
    Taskforce.objects.bulk_create(teams)
    for team, row in rosters:
        row.taskforce = team
    for team, row in reports:
        row.taskforce = team
    TaskforceMember.objects.bulk_create([r for _t, r in rosters])
    TaskforceReport.objects.bulk_create([r for _t, r in reports])
    return {
        "integration.Taskforce": len(teams),
        "integration.TaskforceMember": len(rosters),
        "integration.TaskforceReport": len(reports),
    }


def _carrier_place(
    rng: random.Random, org: Organization, tasks: dict[int, list[Project]], stages: list[ProcessStage]
) -> tuple[Project | None, ProcessStage | None]:
    """The key task of the branch a carrier serves, else a stage of a line (the work of a functional office)."""
    own = tasks.get(org.pk)
    if own:
        return rng.choice(own), None
    return None, rng.choice(stages)


def _posts_and_zones(
    rng: random.Random, w: World, covered: list[Project], stages: list[ProcessStage]
) -> dict[str, int]:
    tasks: dict[int, list[Project]] = defaultdict(list)
    for p in covered:
        tasks[p.organization_id].append(p)
    last = w.ref.year - 1
    working = [b for b in w.branches if not b.name.startswith("离退休") and len(w.members.get(b.pk, [])) >= 3]
    with_post = [b for b in working if b.name != WEAK_BRANCH and rng.random() < 0.85]
    # the posts that show the other states: an application waiting, one refused, one withdrawn after a low review
    others = (ModelPostStatus.APPLIED, ModelPostStatus.REJECTED, ModelPostStatus.WITHDRAWN)
    special = {with_post[k].pk: s for k, s in zip((3, 7, 11), others, strict=True) if k < len(with_post)}
    posts, reviews, zones, reports = [], [], [], []
    for n, b in enumerate(with_post, start=1):
        full = [m.person_id for m in w.members[b.pk] if m.status == "full"]
        status = special.get(b.pk, ModelPostStatus.APPROVED)
        collective = n % 5 == 0
        project, stage = _carrier_place(rng, b, tasks, stages)
        room = b.name.removesuffix("党支部")
        if status in (ModelPostStatus.APPLIED, ModelPostStatus.REJECTED):
            starts = w.past(w.ref - timedelta(days=rng.randint(8, 40)))
        elif n % 4 == 1 and w.ref > date(w.ref.year, 4, 1):
            starts = date(w.ref.year, 3, 1)  # approved this year: not reviewed yet
        else:
            starts = date(last - (1 if n % 3 == 0 or status == ModelPostStatus.WITHDRAWN else 0), rng.randint(3, 6), 1)
        post = ModelPost(
            organization=b,
            project=project,
            stage=stage,
            starts_on=starts,
            kind=ModelPostKind.COLLECTIVE if collective else ModelPostKind.INDIVIDUAL,
            name=f"{room}党员先锋示范岗" if collective else f"{room}{_post_word(project, stage)}党员示范岗",
            holder_id=None if collective else rng.choice(full),
            collective=f"{room}党员先锋队" if collective else "",
            duties=rng.choice(POST_DUTIES),
            commitment=rng.choice(POST_COMMITMENTS),
            status=status,
            applied_by=w.reviewer(b),
        )
        if status != ModelPostStatus.APPLIED:
            post.decided_on = w.past(starts + timedelta(days=12))
            post.decided_by = w.office
        if status == ModelPostStatus.REJECTED:
            post.decision_note = "岗位职责与承诺内容较笼统，缺少可考核的目标，请补充完善后再申报。"
        if status in (ModelPostStatus.APPROVED, ModelPostStatus.WITHDRAWN):
            post.plate_no = f"XH-SFG-{starts.year}-{n:03d}"
        if status == ModelPostStatus.WITHDRAWN:
            post.withdrawn_on = date(last, 12, 26)
            post.withdraw_reason = "年度评议得分低于60分，经所党委研究撤销示范岗称号。"
            post.ends_on = post.withdrawn_on
        posts.append(post)
        if starts.year <= last and status in (ModelPostStatus.APPROVED, ModelPostStatus.WITHDRAWN):
            low = status == ModelPostStatus.WITHDRAWN
            reviews.append(
                ModelPostReview(
                    post=post,
                    year=last,
                    score=round(rng.uniform(52, 58), 1) if low else round(rng.uniform(80, 97), 1),
                    reviewed_on=date(last, 12, 20),
                    comment="示范作用发挥不明显，承诺事项未兑现。" if low else "示范作用明显，群众评价好。",
                    kept=not low,
                    reviewed_by=w.office,
                )
            )
    zone_branches = [b for b in working if rng.random() < 0.8 or b.name == flagship.SECRETARY_BRANCH]
    missing_done = False
    for b in zone_branches:
        full = [m.person_id for m in w.members[b.pk] if m.status == "full"]
        room = b.name.removesuffix("党支部")
        for k in range(1 if len(full) < 15 else 2):
            project, stage = _carrier_place(rng, b, tasks, stages)
            starts = date(last if rng.random() < 0.6 else w.ref.year, 1, 1)
            every = ReportEvery.MONTH if k == 1 else ReportEvery.QUARTER
            zone = ResponsibilityZone(
                organization=b,
                project=project,
                stage=stage,
                starts_on=w.past(starts),
                name=f"{room}{'第二' if k else '第一'}党员责任区",
                member_id=rng.choice(full),
                area=rng.choice(ZONE_AREAS),
                commitments=ZONE_COMMITMENTS,
                report_every=every,
            )
            zones.append(zone)
            reporter = w.reviewer(b)
            for period, end in _periods(zone.starts_on, w.ref, every):
                if not missing_done and every == ReportEvery.QUARTER and end.year == w.ref.year:
                    missing_done = True  # a quarter this zone never reported: the gap the zone page shows
                    continue
                reports.append(
                    ZoneReport(
                        zone=zone,
                        period=period,
                        reported_on=w.past(end + timedelta(days=rng.randint(1, 12))),
                        content=rng.choice(ZONE_REPORT),
                        results="责任区内任务按期完成，未发生质量和安全问题。",
                        reported_by=reporter,
                    )
                )
    ModelPost.objects.bulk_create(posts)
    ModelPostReview.objects.bulk_create(reviews)
    ResponsibilityZone.objects.bulk_create(zones)
    ZoneReport.objects.bulk_create(reports, batch_size=BATCH)
    return {
        "integration.ModelPost": len(posts),
        "integration.ModelPostReview": len(reviews),
        "integration.ResponsibilityZone": len(zones),
        "integration.ZoneReport": len(reports),
    }


def _post_word(project: Project | None, stage: ProcessStage | None) -> str:
    if stage is not None:
        return stage.name
    if project is not None and project.kind == ProjectKind.RESEARCH:
        return "科研攻关"
    return "质量服务"


def _periods(start: date, ref: date, every: str):
    """(period, last day) of every month or quarter from ``start`` that ended before ``ref``."""
    step = 1 if every == ReportEvery.MONTH else 3
    month = date(start.year, ((start.month - 1) // step) * step + 1, 1)
    while True:
        nxt = _months(month, step).replace(day=1)
        end = nxt - timedelta(days=1)
        if end >= ref:
            return
        if step == 1:
            yield f"{month.year}-{month.month:02d}", end
        else:
            yield f"{month.year}Q{(month.month - 1) // 3 + 1}", end
        month = nxt


def _pledges(rng: random.Random, w: World, covered: list[Project], stages: list[ProcessStage]) -> dict[str, int]:
    tasks: dict[int, list[Project]] = defaultdict(list)
    on_task: dict[int, Project] = {}
    for p in covered:
        tasks[p.organization_id].append(p)
    by_pk = {p.pk: p for p in covered}
    for project_id, person_id in (
        Project.people.through.objects.filter(project__in=list(by_pk))
        .order_by("pk")
        .values_list("project_id", "person_id")
    ):
        on_task.setdefault(person_id, by_pk[project_id])
    member = User.objects.filter(username="member").values_list("person_id", flat=True).first()
    pledges = []
    this, last = w.ref.year, w.ref.year - 1
    for b in w.branches:
        retired = b.name.startswith("离退休")
        share = 0.45 if b.name == WEAK_BRANCH else 0.6 if retired else 0.92
        for m in w.members.get(b.pk, []):
            mine = m.person_id == member
            if not mine and rng.random() >= share:
                continue
            for year in (last, this):
                if m.started_on and m.started_on.year > year:
                    continue
                project = None if retired else on_task.get(m.person_id)
                stage = None
                if project is None and not retired and rng.random() < 0.5:
                    project, stage = _carrier_place(rng, b, tasks, stages)
                pledges.append(_pledge(rng, w, b, m.person_id, year, project, stage, retired, mine))
    Pledge.objects.bulk_create(pledges, batch_size=BATCH)
    return {"integration.Pledge": len(pledges)}


def _pledge(
    rng: random.Random,
    w: World,
    b: Organization,
    person: int,
    year: int,
    project: Project | None,
    stage: ProcessStage | None,
    retired: bool,
    mine: bool,
) -> Pledge:
    submitted = w.past(date(year, rng.choice((1, 2, 3)), rng.randint(5, 25)))
    reviewer = w.reviewer(b)
    row = Pledge(
        organization=b,
        project=project,
        stage=stage,
        starts_on=w.past(date(year, 1, 1)),
        ends_on=date(year, 12, 31),
        person_id=person,
        year=year,
        promise="；".join(p.rstrip("。") for p in rng.sample(RETIREE_PROMISES if retired else PROMISES, 2)) + "。",
        submitted_on=submitted,
        status=PledgeStatus.APPROVED,
    )
    roll = rng.random()
    if year == w.ref.year and not mine and roll < 0.14:
        if roll < 0.05:
            row.status, row.submitted_on = PledgeStatus.DRAFT, None
        elif roll < 0.11:
            row.status = PledgeStatus.SUBMITTED
        else:
            row.status = PledgeStatus.RETURNED
            row.reviewed_on, row.reviewed_by = w.past(submitted + timedelta(days=5)), reviewer
            row.review_note = "承诺内容较笼统，请结合本人岗位和承担的任务提出具体、可检验的承诺。"
        return row
    row.reviewed_on, row.reviewed_by = w.past(submitted + timedelta(days=rng.randint(3, 15))), reviewer
    row.review_note = "承诺具体，同意公示。"
    if year < w.ref.year:
        fate = rng.random()
        row.fulfilment = (
            Fulfilment.FULFILLED if fate < 0.85 else Fulfilment.PARTLY if fate < 0.96 else Fulfilment.UNFULFILLED
        )
        row.fulfilment_note = {
            Fulfilment.FULFILLED: "承诺事项全部兑现，群众评价好。",
            Fulfilment.PARTLY: "大部分承诺事项兑现，带徒传技一项未完成。",
            Fulfilment.UNFULFILLED: "承诺事项未兑现，已进行批评教育。",
        }[row.fulfilment]
        row.fulfilment_on = date(year, 12, rng.randint(15, 28))
        row.fulfilment_by = reviewer
    return row


def _joint(rng: random.Random, w: World, projects: list[Project], stages: list[ProcessStage]) -> dict[str, int]:
    by_name = {p.name: p for p in projects}
    partners = {}
    for name, kind, room, party, contact in PARTNERS:
        org = w.branch_of_dept.get(room) or next((b for b in w.branches if b.name == room), w.root)
        partners[name] = Partner(
            organization=org, name=name, kind=kind, party_organization=party, contact=contact, phone=""
        )
    Partner.objects.bulk_create(partners.values())
    agreements, activities = [], []
    last = w.ref.year - 1
    for n, (partner, title, content, task) in enumerate(AGREEMENTS):
        p = by_name.get(task)
        starts = date(last, rng.randint(3, 9), rng.randint(1, 25))
        agreement = JointBuilding(
            organization=partners[partner].organization,
            partner=partners[partner],
            project=p,
            stage=None if p is not None else stages[-1],
            starts_on=starts,
            ends_on=date(last + 2, starts.month, 1) if n != 2 else date(last, 12, 31),  # one ended last year
            title=title,
            content=content,
        )
        agreements.append(agreement)
        day = _months(starts, 1)
        for k in range(4):
            if day > w.ref or (agreement.ends_on and day > agreement.ends_on):
                break
            title_, text, results = JOINT_ACTIVITIES[(n + k) % len(JOINT_ACTIVITIES)]
            activities.append(
                JointActivity(
                    joint_building=agreement,
                    held_on=day,
                    title=title_,
                    content=text,
                    results=results,
                    created_by=w.office,
                )
            )
            day = _months(day, rng.randint(3, 5))
    JointBuilding.objects.bulk_create(agreements)
    JointActivity.objects.bulk_create(activities)
    return {
        "integration.Partner": len(partners),
        "integration.JointBuilding": len(agreements),
        "integration.JointActivity": len(activities),
    }


def _contact_points(rng: random.Random, w: World) -> list[ContactPoint]:
    """The committee members' contact points; the demo had none before this app (made here when missing)."""
    points = list(ContactPoint.objects.filter(organization__in=w.branches).order_by("pk"))
    if points:
        return points
    chosen = {
        flagship.SECRETARY_BRANCH,
        "总体设计室党支部",
        "系统级电磁兼容室党支部",
        "量子精密测量研究室党支部",
        WEAK_BRANCH,
        "计量器具检定中心党支部",
        "科研质量联合党支部",
    }
    targets = [b for b in w.branches if b.name in chosen]
    points = [
        ContactPoint(leader_id=leader, organization=org, since=date(w.ref.year - 1, 1, 1))
        for leader, org in zip(w.leaders, targets, strict=False)
    ]
    ContactPoint.objects.bulk_create(points)
    visits = []
    for n, cp in enumerate(points):
        for year in (w.ref.year - 1, w.ref.year):
            for quarter in range(4 if n or year < w.ref.year else 2):  # one leader behind on this year's visits
                day = date(year, 3 * quarter + 1, 1) + timedelta(days=rng.randint(10, 80))
                if day <= w.ref:
                    summary, issues = VISITS[(n + quarter) % len(VISITS)]
                    visits.append(
                        ContactVisit(
                            contact_point=cp, visited_on=day, summary=summary, issues=issues, created_by=w.office
                        )
                    )
    ContactVisit.objects.bulk_create(visits)
    return points


def _liaisons_and_links(rng: random.Random, w: World, covered: list[Project]) -> dict[str, int]:
    points = _contact_points(rng, w)
    by_org = {b.pk: b for b in w.branches}
    liaisons = []
    overdue_left = 1
    for cp in points:
        org = by_org.get(cp.organization_id)
        if org is None:
            continue
        for k in range(rng.randint(2, 4)):
            held = date(w.ref.year - 1 + (k % 2), rng.randint(2, 11), rng.randint(3, 25))
            if held > w.ref:
                continue
            topics, follow = LIAISON_TOPICS[(cp.pk + k) % len(LIAISON_TOPICS)]
            due = held + timedelta(days=30)
            done = w.past(due - timedelta(days=rng.randint(0, 20))) if due < w.ref else None
            if done is not None and overdue_left and held.year == w.ref.year:
                overdue_left, done = 0, None  # one follow-up past its term and not done
            liaisons.append(
                LeaderLiaison(
                    leader_id=cp.leader_id,
                    organization=org,
                    held_on=held,
                    topics=topics,
                    decisions="会议议定：" + follow,
                    follow_up=follow,
                    follow_up_due=due,
                    follow_up_done_on=done,
                    created_by=w.office,
                )
            )
    LeaderLiaison.objects.bulk_create(liaisons)
    tasks: dict[int, list[Project]] = defaultdict(list)
    for p in covered:
        tasks[p.organization_id].append(p)
    cp_links = [
        ContactPointLink(contact_point=cp, project=tasks[cp.organization_id][0], linked_by=w.office)
        for cp in points
        if tasks.get(cp.organization_id)
    ]
    ContactPointLink.objects.bulk_create(cp_links)
    # theme days and lectures on business topics, linked to a task of the branch that held them
    business = ("科研攻关中的党员先锋作用", "服务型号任务保障", "计量强国与质量提升")
    meetings = (
        Meeting.objects.filter(
            organization_id__in=list(tasks),
            kind__in=("theme_day", "lecture"),
            title__in=business,
            status__in=(MeetingStatus.MINUTES_RECORDED, MeetingStatus.LOCKED),
            starts_at__date__gte=date(w.ref.year - 1, 1, 1),
        )
        .order_by("organization_id", "-starts_at", "pk")
        .values_list("pk", "organization_id")
    )
    seen: dict[int, int] = defaultdict(int)
    a_links = []
    for meeting_id, org_id in meetings:
        if seen[org_id] >= 2 or len(a_links) >= 24:
            continue
        seen[org_id] += 1
        a_links.append(ActivityLink(meeting_id=meeting_id, project=tasks[org_id][0], linked_by=w.office))
    ActivityLink.objects.bulk_create(a_links)
    return {
        "integration.LeaderLiaison": len(liaisons),
        "integration.ContactPointLink": len(cp_links),
        "integration.ActivityLink": len(a_links),
    }

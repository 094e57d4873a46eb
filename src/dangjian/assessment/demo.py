"""Demo assessment rows for the demo institute, so the 考核 menu has something true to show on first start.

The shipped indicator system installed and published (``services.install_default``); 一支部一特色 for about a third
of the branches (most recognised last year, a few submitted and waiting, one returned with remarks); last year's
cycle over every branch and this year's, each computed once (``cycles.compute`` called directly: the job path
is for the page, and the demo must load in seconds), with a 通报批评 on the persistently weak branch and a
上级表彰 on a strong one; and last year's closed 述职评议 with paper tallies in which the weak branch's secretary is
rated lower. Rows are written directly (as the other apps' demos do) so their dates follow the reference day
(``dangjian.demo.spec.reference_date``); deterministic for a seed. Last year's cycle is reviewed, signed off and
published, this year's is in review (``demo_manual``); last year's 标杆 and 先进 titles, star ratings, and the weak
branch's 约谈 and 整顿 (``demo_ends``).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from dangjian.accounts.models import User
from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import reference_date
from dangjian.orgs.models import CommitteePost, CommitteeTerm, Organization, Post

from . import cycles, demo_ends, demo_manual
from .models import (
    AssessmentCycle,
    AutoScore,
    BranchBrand,
    BrandEvidence,
    BrandReview,
    BrandStatus,
    CycleUnit,
    Indicator,
    IndicatorSystem,
    MeetingStatus,
    Occurrence,
    PaperTally,
    ReportMeeting,
    ReviewResult,
    SecretaryReport,
    SectionScore,
    Snapshot,
)
from .models.secretary_report import GRADES
from .rule_data import DEFAULT_BANDS, DEFAULT_POINTS, DEFAULT_WEIGHTS
from .services import install_default

TZ = ZoneInfo("Asia/Shanghai")

# (research room, brand name, idea): the room's branch is "<room>党支部". The last four are not recognised.
BRANDS = (
    ("时间频率计量室", "时频先锋·精准守时", "守护国家时间频率量值准确统一，以分秒必争的作风践行初心。"),
    ("无线电计量室", "电波传薪·党旗领航", "以无线电量值传递服务国防和经济建设，党员在关键参数攻关中打头阵。"),
    ("微波毫米波计量室", "微波铸魂·毫厘必争", "在毫米波量值溯源的毫厘之间锤炼党性，把精益求精写进每一份证书。"),
    ("光学计量室", "光耀初心·量准未来", "以光为尺，党员带头攻关光辐射计量标准，照亮科研一线。"),
    ("电学计量室", "电流无声·党性有光", "把党建做进电学标准装置的日常维护和比对中，党员岗位亮身份。"),
    ("软件测评中心", "代码守初心·测评显担当", "以零缺陷的测评质量守护型号软件安全，党员承担关键项目测评。"),
    ("标准物质研究室", "标准铸品·物尽其准", "以标准物质研制夯实量值基础，党员牵头重点研制任务。"),
    ("卫星导航测试室", "北斗领航·党建导航", "服务北斗导航测试，以党建引领攻坚，党员突击队驻场保障。"),
    ("量子精密测量研究室", "量子先锋·精测未来", "青年党员挑大梁，在量子精密测量前沿探索中发挥先锋作用。"),
    ("航天测控测试室", "测控天地·红色守望", "保障航天测控设备校准，党员驻场服务型号发射任务。"),
    ("天线测量室", "天线连心·信号向党", "以天线测量服务用户，党员服务队上门解决现场测试难题。"),
    ("几何量计量室", "毫厘之间见初心", "在几何量计量的微米世界里践行工匠精神，党员带徒传技。"),
    ("计量器具检定中心", "检定为民·一丝不苟", "以检定质量守护公平计量，党员窗口岗位亮牌服务。"),
    ("环境与可靠性试验室", "可靠如磐·考验见忠诚", "在环境与可靠性试验中锤炼过硬作风，党员把关每一项试验。"),
    ("力学计量室", "力量传递·称准担当", "以力值量值传递服务重大装备，党员带头攻关大力值标准。"),
    ("元器件检测室", "芯心向党·质量筑基", "以元器件检测筑牢型号质量根基，党员把关关键批次。"),
    ("检测认证中心", "认证立信·服务先锋", "以诚信认证服务企业，党员先锋岗联系重点客户。"),
    ("数字化计量技术室", "数智计量·红色引擎", "以党建引领计量数字化转型，党员牵头远程校准平台建设。"),
    ("声学计量室", "声声入耳·事事为民", "倾听用户声音，以声学计量服务民生与安全。"),
)
SUBMITTED = {"元器件检测室", "检测认证中心", "数字化计量技术室"}
RETURNED = "声学计量室"
RETURN_REMARKS = (
    "特色理念与本室声学计量主业结合不够紧密，主要举措多为常规组织生活，缺少可量化的成效和佐证材料。"
    "请结合服务民生计量的具体项目修改完善后重新提交。"
)
MEASURES = "1. 设立党员先锋岗和党员责任区；2. 组建党员突击队承担重点任务；3. 每季度开展一次主题实践活动并总结成效。"

PAPERS = {"committee": 9, "secretaries": 24, "members": 45, "staff": 30}
# the share of 好 / 较好 / 一般 / 差 each kind of secretary tends to receive
PROFILES = {
    "strong": (0.74, 0.21, 0.05, 0.0),
    "middle": (0.52, 0.36, 0.11, 0.01),
    "weak": (0.12, 0.38, 0.38, 0.12),
}


def generate_demo(seed: int) -> dict[str, int]:
    root = Organization.objects.filter(depth=1).order_by("path").first()
    office = User.objects.filter(username="office").first()
    if root is None or office is None:
        return {}
    rng = random.Random(seed * 11 + 5)
    system, _created = install_default(None)
    branches = list(
        Organization.objects.subtree(root).filter(kind="branch", dissolved_on__isnull=True).order_by("path")
    )
    counts = {
        "assessment.IndicatorSystem": 1,
        "assessment.Indicator": Indicator.objects.filter(system=system).count(),
    }
    counts.update(_brands(rng, branches, office))
    counts.update(_cycles(system, branches, office))
    last, this = AssessmentCycle.objects.filter(system=system).order_by("year", "pk")[:2]
    counts.update(demo_manual.generate(random.Random(seed * 13 + 7), last, this, branches, office))
    counts.update(demo_ends.generate(AssessmentCycle.objects.get(pk=last.pk), office))
    counts.update(_meeting(rng, root, branches, office))
    return counts


def _at(day: date, hour: int = 9) -> datetime:
    """A moment of ``day`` (never after the reference day's own) in the institute's time zone."""
    return datetime.combine(min(day, reference_date()), time(hour), tzinfo=TZ)


def _brands(rng: random.Random, branches: list[Organization], office: User) -> dict[str, int]:
    today = reference_date()
    last = today.year - 1
    by_name = {b.name: b for b in branches}
    brands, reviews, evidence = [], [], []
    for room, name, idea in BRANDS:
        org = by_name.get(f"{room}党支部")
        if org is None:
            continue
        if room in SUBMITTED:
            submitted = today - timedelta(days=rng.randint(5, 40))
            brand = BranchBrand(
                organization=org,
                name=name,
                idea=idea,
                measures=MEASURES,
                business_link="",
                started_year=submitted.year,
                status=BrandStatus.SUBMITTED,
                submitted_at=_at(submitted),
                created_by=office,
            )
        else:
            recognised = room != RETURNED
            started = last - (rng.randint(0, 3) if recognised else 0)
            brand = BranchBrand(
                organization=org,
                name=name,
                idea=idea,
                measures=MEASURES,
                business_link="结合本室"
                + room.removesuffix("室").removesuffix("中心")
                + "主业，党建与科研生产同谋划、同部署、同考核。",
                started_year=started,
                status=BrandStatus.RECOGNISED if recognised else BrandStatus.RETURNED,
                remarks="" if recognised else RETURN_REMARKS,
                submitted_at=_at(date(started, 3, rng.randint(1, 28))),
                recognised_at=_at(date(max(started, last - 1), 12, rng.randint(10, 25))) if recognised else None,
                created_by=office,
            )
        brands.append(brand)
    BranchBrand.objects.bulk_create(brands)
    for brand in brands:
        if brand.status == BrandStatus.RECOGNISED:
            for year in range(max(brand.started_year, last - 1), last + 1):
                reviews.append(
                    BrandReview(brand=brand, year=year, result=ReviewResult.RECOGNISED, remarks="", reviewer=office)
                )
        elif brand.status == BrandStatus.RETURNED:
            reviews.append(
                BrandReview(
                    brand=brand, year=last, result=ReviewResult.NOT_RECOGNISED, remarks=RETURN_REMARKS, reviewer=office
                )
            )
    BrandReview.objects.bulk_create(reviews)
    flagship_brand = next((b for b in brands if b.organization.name == flagship.SECRETARY_BRANCH), None)
    if flagship_brand is not None:
        evidence = [
            BrandEvidence(
                brand=flagship_brand,
                year=last,
                title="党员突击队保障国家授时系统比对",
                text="支部组建党员突击队，连续三个月驻场完成授时系统比对测量，比对结果优于指标要求。",
                added_by=office,
            ),
            BrandEvidence(
                brand=flagship_brand,
                year=last,
                title="“守时人”主题党日活动",
                text="组织党员参观国家授时中心，开展“守时人讲守时故事”交流，形成学习心得12篇。",
                added_by=office,
            ),
        ]
        BrandEvidence.objects.bulk_create(evidence)
    return {
        "assessment.BranchBrand": len(brands),
        "assessment.BrandReview": len(reviews),
        "assessment.BrandEvidence": len(evidence),
    }


def _cycles(system: IndicatorSystem, branches: list[Organization], office: User) -> dict[str, int]:
    today = reference_date()
    this, last = today.year, today.year - 1
    by_name = {b.name: b for b in branches}
    weak = by_name.get(WEAK_BRANCH)
    strong = by_name.get(flagship.SECRETARY_BRANCH)
    other = by_name.get("卫星导航测试室党支部")
    plan = (
        (last, date(last, 12, 1), date(this, 1, 10)),
        (this, max(date(this, 1, 1), today - timedelta(days=14)), today),
    )
    cycle_rows: list[AssessmentCycle] = []
    occurrences = []
    for year, opened, taken in plan:
        cycle = AssessmentCycle.objects.create(
            system=system,
            year=year,
            half=None,
            title=f"{year}年度党支部党建工作责任制考核",
            self_deadline=date(year + 1, 1, 15),
            review_deadline=date(year + 1, 1, 31),
            opened_by=office,
        )
        CycleUnit.objects.bulk_create(CycleUnit(cycle=cycle, organization=b, kind=b.kind) for b in branches)
        AssessmentCycle.objects.filter(pk=cycle.pk).update(opened_at=_at(opened))
        snapshot = cycles.compute(cycle, office)
        Snapshot.objects.filter(pk=snapshot.pk).update(taken_at=_at(taken, 10))
        cycle_rows.append(cycle)
    leaf = {i.name: i for i in Indicator.objects.filter(system=system, method__in=("bonus", "deduction"))}
    spec = [
        (
            cycle_rows[0],
            weak,
            "通报批评",
            Decimal(3),
            "所党委通报：第三季度“三会一课”未按期召开，主题党日两个月未开展。",
            date(last, 10, 20),
        ),
        (cycle_rows[0], strong, "上级表彰", Decimal(2), "获第九研究院党委“先进基层党组织”表彰。", date(last, 7, 1)),
        (
            cycle_rows[1],
            other,
            "上级表彰",
            Decimal(1),
            "支部党员突击队获第九研究院“青年突击队”称号。",
            today - timedelta(days=7),
        ),
    ]
    for cycle, unit, name, magnitude, reason, on in spec:
        if unit is None or name not in leaf:
            continue
        sign = -1 if leaf[name].method == "deduction" else 1
        occurrences.append(
            (
                Occurrence(
                    cycle=cycle,
                    unit=unit,
                    indicator=leaf[name],
                    points=sign * magnitude,
                    reason=reason,
                    recorded_by=office,
                ),
                on,
            )
        )
    Occurrence.objects.bulk_create([o for o, _on in occurrences])
    for o, on in occurrences:
        Occurrence.objects.filter(pk=o.pk).update(recorded_at=_at(on, 15))
    ids = [c.pk for c in cycle_rows]
    return {
        "assessment.AssessmentCycle": len(cycle_rows),
        "assessment.CycleUnit": CycleUnit.objects.filter(cycle_id__in=ids).count(),
        "assessment.Snapshot": Snapshot.objects.filter(cycle_id__in=ids).count(),
        "assessment.AutoScore": AutoScore.objects.filter(snapshot__cycle_id__in=ids).count(),
        "assessment.SectionScore": SectionScore.objects.filter(snapshot__cycle_id__in=ids).count(),
        "assessment.Occurrence": len(occurrences),
    }


def _secretaries(orgs: list[Organization]) -> dict[int, int]:
    """Each organisation's secretary in its latest committee term begun by the reference day: {org id: person id}."""
    latest: dict[int, int] = {}
    terms = CommitteeTerm.objects.filter(organization__in=orgs, elected_on__lte=reference_date())
    for org_id, term_id in terms.order_by("organization_id", "-elected_on").values_list("organization_id", "pk"):
        latest.setdefault(org_id, term_id)
    posts = CommitteePost.objects.filter(term_id__in=latest.values(), post=Post.SECRETARY).order_by("pk")
    org_of = {term_id: org_id for org_id, term_id in latest.items()}
    out: dict[int, int] = {}
    for term_id, person_id in posts.values_list("term_id", "person_id"):
        out.setdefault(org_of[term_id], person_id)
    return out


def _meeting(rng: random.Random, root: Organization, branches: list[Organization], office: User) -> dict[str, int]:
    today = reference_date()
    last = today.year - 1
    secretaries = _secretaries(branches)
    by_name = {b.name: b for b in branches}
    wanted = [
        (flagship.SECRETARY_BRANCH, "strong"),
        ("卫星导航测试室党支部", "strong"),
        ("电学计量室党支部", "middle"),
        ("综合保密联合党支部", "middle"),
        (WEAK_BRANCH, "weak"),
    ]
    chosen = [(by_name[n], kind) for n, kind in wanted if n in by_name and by_name[n].pk in secretaries]
    if not chosen:
        return {}
    held = min(date(today.year, 1, 20), today - timedelta(days=3))
    meeting = ReportMeeting.objects.create(
        organization=root,
        year=last,
        held_on=held,
        title=f"{last}年度党支部书记抓基层党建工作述职评议",
        status=MeetingStatus.CLOSED,
        weights=dict(DEFAULT_WEIGHTS),
        points=dict(DEFAULT_POINTS),
        bands=dict(DEFAULT_BANDS),
        papers=dict(PAPERS),
        opened_at=_at(held, 9),
        closed_at=_at(held, 11),
        created_by=office,
    )
    reports, tallies = [], []
    for order, (org, kind) in enumerate(chosen, start=1):
        report = SecretaryReport(
            meeting=meeting,
            person_id=secretaries[org.pk],
            organization=org,
            order=order,
            text=_REPORT_TEXT[kind],
            remarks=_REMARKS[kind],
            problems=_PROBLEMS[kind],
        )
        reports.append((report, kind))
    SecretaryReport.objects.bulk_create([r for r, _k in reports])
    for report, kind in reports:
        for group, papers in PAPERS.items():
            forms = papers - rng.randint(0, 1)  # a form now and then left blank for this secretary
            drawn = rng.choices(GRADES, weights=PROFILES[kind], k=forms)
            tallies.append(PaperTally(report=report, group=group, **{g: drawn.count(g) for g in GRADES}))
    PaperTally.objects.bulk_create(tallies)
    return {
        "assessment.ReportMeeting": 1,
        "assessment.SecretaryReport": len(reports),
        "assessment.PaperTally": len(tallies),
    }


_REPORT_TEXT = {
    "strong": "一年来，支部坚持党建与科研生产深度融合，“三会一课”按期规范，党员在重点任务攻关中带头冲锋，"
    "特色品牌建设取得实效，全年无违纪违规问题。",
    "middle": "一年来，支部按计划开展组织生活，党员学习教育基本覆盖，配合完成年度科研生产任务，"
    "党建与业务结合还有提升空间。",
    "weak": "一年来，支部在完成科研任务的同时开展了部分组织生活，但受任务繁重影响，"
    "“三会一课”和主题党日存在未按期开展的情况，支部班子作用发挥不够充分。",
}
_REMARKS = {
    "strong": "支部工作扎实，党建与业务融合有特色、有成效，要总结经验、发挥示范作用。",
    "middle": "支部工作总体规范，要进一步找准党建与业务的结合点，提升组织生活质量。",
    "weak": "支部组织生活不够经常、不够规范，书记抓党建的意识有待加强，要对照问题清单逐项整改，年内见到成效。",
}
_PROBLEMS = {
    "strong": "",
    "middle": "组织生活形式较为单一\n谈心谈话覆盖不全",
    "weak": "“三会一课”未按期召开\n主题党日多月未开展\n党员学习培训学时不达标\n支委分工不明确、作用发挥不够",
}

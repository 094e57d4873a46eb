"""Demo yearly work plans (党建工作要点, 四同) for the demo institute (issue 15 §7).

The committee's plan for this year, published with its 文号: twelve items in categories, each linked to the
business lines and key tasks it serves (同谋划), deployed to branches with a responsible person (the branch's
secretary), a measure and a deadline (同部署), reported on quarterly (同推进), and in every state on the reference
day: done on time, done late, open, overdue (the persistently weak branch, ``demo.history.WEAK_BRANCH``, most
of all) and cancelled. Two branches have their own plans derived from it. Last year's plan is published too, its
deployments done (most on time, some late, one cancelled) and summed up (年度工作总结).

Rows are written directly, dated no later than the reference day (``dangjian.demo.spec.reference_date``), with
``bulk_create``; deterministic for a seed. Runs after ``dangjian.integration.demo`` (the lines and tasks the items
serve) and before the assessment (completion and on-time rates are facts it scores).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from dangjian.demo import flagship
from dangjian.demo.history import WEAK_BRANCH
from dangjian.integration.demo import DOC, World, world
from dangjian.integration.models import BusinessLine, Project
from dangjian.orgs.models import Organization

from .models import Deployment, DeploymentStatus, PlanItem, PlanStatus, ProgressReport, WorkPlan

BATCH = 2000

# (category, title, content, line codes, task names, deadline (month, day))
ITEMS = (
    (
        "政治建设",
        "深入学习贯彻党的二十大精神，落实“第一议题”制度",
        "各支部每月开展专题学习，结合科研生产任务谈体会、抓落实。",
        (),
        (),
        (6, 30),
    ),
    (
        "思想建设",
        "开展“弘扬科学家精神、争当计量先锋”主题教育",
        "以主题党日和专题党课为载体，围绕重点任务讲好计量人故事。",
        ("JLJZ", "BZZZ"),
        ("时间频率远程校准服务平台建设",),
        (9, 30),
    ),
    (
        "组织建设",
        "推进支部建在室上，落实“三会一课”和主题党日制度",
        "规范组织生活，做到与业务工作同计划、同安排、同检查。",
        (),
        (),
        (12, 31),
    ),
    (
        "组织建设",
        "整顿提升软弱涣散党支部，抓两头促中间",
        "对考核靠后的支部开展帮扶，制定整改清单并限期完成。",
        (),
        (),
        (3, 31),
    ),
    (
        "融合发展",
        "围绕重点型号任务组建党员突击队和攻关团队",
        "在重大任务和攻关课题中亮旗帜、建队伍，党员挑重担。",
        ("YQYZ", "JCRZ"),
        ("某型号整星电磁兼容试验", "110GHz矢量网络分析仪研制", "某型雷达综合测试设备研制交付"),
        (5, 31),
    ),
    (
        "融合发展",
        "深化党员示范岗和党员责任区创建",
        "各支部围绕计量校准和检测服务窗口设岗定责，年底开展评议。",
        ("JLJZ", "JCRZ"),
        ("区域计量器具周期检定保障", "型号软件第三方测评"),
        (10, 31),
    ),
    (
        "融合发展",
        "以党建引领计量标准建设和量值传递能力提升",
        "围绕计量标准装置建设和复查考核，党员牵头攻关关键环节。",
        ("BZZZ",),
        ("量子电压标准装置研制", "太赫兹功率计量标准装置建设", "电磁场强度计量标准装置复查考核"),
        (11, 30),
    ),
    (
        "融合发展",
        "开展“亮身份、守承诺、作表率”党员承诺践诺活动",
        "党员年初公开承诺，支部年中检查，年底评议践诺情况。",
        ("JLJZ", "YQYZ", "BZZZ", "JCRZ"),
        (),
        (2, 28),
    ),
    (
        "融合发展",
        "围绕创新链上下游开展支部共建",
        "与用户、供应商、高校和社区党组织签订共建协议，开展联合活动。",
        ("YQYZ", "JCRZ"),
        ("宇航元器件批次检测与筛选", "高稳定度信号源批量生产"),
        (8, 31),
    ),
    (
        "作风建设",
        "落实所领导党建联系点和“联席”制度",
        "所领导每季度到联系点支部参加组织生活、联席研究问题。",
        (),
        (),
        (12, 15),
    ),
    (
        "纪律建设",
        "加强保密教育和廉洁从业警示教育",
        "结合科研经费管理和采购环节开展警示教育，签订承诺书。",
        (),
        ("自动测试系统通用平台研制",),
        (7, 31),
    ),
    (
        "人才队伍",
        "实施青年科技人才“导师带徒”和青马班培养",
        "围绕重点任务配备导师，明确培养目标，年中年底两次考核。",
        ("YQYZ",),
        ("宽带频谱分析仪国产化替代攻关",),
        (11, 15),
    ),
)
MEASURES = (
    "支部书记牵头，制定本支部落实方案，明确责任委员和完成节点。",
    "结合本室承担的重点任务细化措施，每季度在支委会上检查推进情况。",
    "纳入支部年度工作计划，与业务工作同部署、同检查、同考核。",
)
PROGRESS = (
    "已制定落实方案并召开支委会专题部署，相关工作有序推进。",
    "按方案推进，完成阶段任务，党员参与率达到九成以上。",
    "结合业务工作推进落实，阶段目标已完成，佐证材料已整理归档。",
)
LAST_SUMMARY = (
    "一年来，所党委坚持党建工作与科研生产同谋划、同部署、同推进、同考核，全年部署的工作要点绝大部分按期完成："
    "组建党员突击队和攻关团队，党员在型号任务和标准建设中发挥先锋作用；示范岗、责任区创建和承诺践诺活动扎实开展；"
    "与用户、供应商和高校的共建取得实效。存在的不足：个别支部推进滞后，部分事项完成不及时，来年重点加强督办。"
)


def generate_demo(seed: int) -> dict[str, int]:
    w = world()
    if w is None:
        return {}
    rng = random.Random(seed * 19 + 13)
    lines = {line.code: line for line in BusinessLine.objects.filter(organization=w.root)}
    tasks = {p.name: p for p in Project.objects.filter(key=True)}
    this, last = w.ref.year, w.ref.year - 1
    plans = [
        WorkPlan(
            organization=w.root,
            year=year,
            title=f"{w.root.name}{year}年党建工作要点",
            status=PlanStatus.PUBLISHED,
            published_on=w.past(date(year, 2, 18)),
            doc_no=f"{DOC}〔{year}〕3号",
            summary=LAST_SUMMARY if year == last else "",
            created_by=w.office,
        )
        for year in (last, this)
    ]
    WorkPlan.objects.bulk_create(plans)
    items: list[tuple[PlanItem, tuple, tuple]] = []
    for plan in plans:
        for order, (category, title, content, codes, names, _due) in enumerate(ITEMS, start=1):
            item = PlanItem(plan=plan, order=order, category=category, title=title, content=content)
            items.append(
                (item, tuple(lines[c] for c in codes if c in lines), tuple(tasks[n] for n in names if n in tasks))
            )
    PlanItem.objects.bulk_create([i for i, _l, _t in items])
    _link(items)
    deployments, reports = _deploy(rng, w, plans, [i for i, _l, _t in items])
    derived, derived_items = _derived(w, plans[1], [i for i, _l, _t in items if i.plan_id == plans[1].pk])
    return {
        "workplan.WorkPlan": len(plans) + derived,
        "workplan.PlanItem": len(items) + derived_items,
        "workplan.Deployment": deployments,
        "workplan.ProgressReport": reports,
    }


def _link(items: list[tuple[PlanItem, tuple, tuple]]) -> None:
    by_line, by_task = PlanItem.lines.through, PlanItem.projects.through
    by_line.objects.bulk_create(
        [by_line(planitem_id=i.pk, businessline_id=line.pk) for i, lines, _t in items for line in lines]
    )
    by_task.objects.bulk_create([by_task(planitem_id=i.pk, project_id=p.pk) for i, _l, tasks in items for p in tasks])


def _targets(rng: random.Random, w: World, order: int) -> list[Organization]:
    """The branches an item is deployed to: every working branch for a few, a handful for the rest."""
    working = [b for b in w.branches if not b.name.startswith("离退休") and w.responsible(b) is not None]
    named = [b for b in working if b.name in (flagship.SECRETARY_BRANCH, WEAK_BRANCH)]
    if order in (3, 8):  # 三会一课 and the pledges: everybody
        return working
    rest = [b for b in working if b not in named]
    return named + rng.sample(rest, min(len(rest), rng.randint(3, 6)))


def _deploy(rng: random.Random, w: World, plans: list[WorkPlan], items: list[PlanItem]) -> tuple[int, int]:
    rows: list[Deployment] = []
    by_pk = {p.pk: p for p in plans}
    cancelled = {plans[0].pk: False, plans[1].pk: False}
    for item in items:
        plan = by_pk[item.plan_id]
        month, day = ITEMS[item.order - 1][5]
        deadline = date(plan.year, month, day)
        for b in _targets(rng, w, item.order):
            d = Deployment(
                item=item,
                organization=b,
                responsible_id=w.responsible(b),
                measure=rng.choice(MEASURES),
                deadline=deadline,
                deployed_by=w.office,
            )
            _settle(rng, w, d, plan, b, cancelled)
            rows.append(d)
    Deployment.objects.bulk_create(rows, batch_size=BATCH)
    by_pk = {p.pk: p for p in plans}
    reports = []
    for d in rows:
        if d.status == DeploymentStatus.CANCELLED:
            continue
        plan = by_pk[d.item.plan_id]
        for quarter in range(1, 5):
            end = date(plan.year, 3 * quarter, 30 if quarter in (2, 3) else 31)
            start = date(plan.year, 3 * quarter - 2, 1)
            reported = end + timedelta(days=rng.randint(2, 10))
            if reported > w.ref or (plan.published_on and end < plan.published_on):
                continue
            if d.completed_on and d.completed_on < start:
                break  # done: no more reports
            if d.organization.name == WEAK_BRANCH and rng.random() < 0.5:
                continue  # the weak branch often does not report
            finished = d.completed_on is not None and d.completed_on <= reported
            percent = 100 if finished else min(90, 25 * quarter + rng.randint(-10, 10))
            reports.append(
                ProgressReport(
                    deployment=d,
                    year=plan.year,
                    quarter=quarter,
                    percent=percent,
                    content=PROGRESS[min(quarter, len(PROGRESS)) - 1]
                    if not finished
                    else "已全部完成，佐证材料已上传。",
                    reported_on=reported,
                    reported_by=w.reviewer(d.organization),
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
    return len(rows), len(reports)


def _settle(
    rng: random.Random, w: World, d: Deployment, plan: WorkPlan, b: Organization, cancelled: dict[int, bool]
) -> None:
    """The state of a deployment on the reference day: done on time or late, open, overdue or cancelled."""
    weak = b.name == WEAK_BRANCH
    if not cancelled[plan.pk] and d.item.order == 10 and not weak and b.name != flagship.SECRETARY_BRANCH:
        cancelled[plan.pk] = True
        d.status = DeploymentStatus.CANCELLED
        d.cancel_reason = "该支部联系点调整，事项并入所党委统一组织，本支部不再单独部署。"
        return
    if d.deadline >= w.ref:
        if rng.random() < 0.15 and w.ref.month > 2:  # finished ahead of time
            d.status, d.completed_on = DeploymentStatus.DONE, w.ref - timedelta(days=rng.randint(1, 30))
        return  # open, on its way
    roll = rng.random()
    last_year = plan.year < w.ref.year
    if not last_year and ((weak and roll < 0.7) or (b.name == flagship.SECRETARY_BRANCH and d.item.order == 2)):
        return  # overdue: still open past its deadline (the secretary's home page shows one)
    if roll < (0.8 if last_year else 0.65):
        d.status = DeploymentStatus.DONE
        d.completed_on = d.deadline - timedelta(days=rng.randint(0, 25))
    elif roll < 0.96 or last_year:
        d.status = DeploymentStatus.DONE
        d.completed_on = w.past(d.deadline + timedelta(days=rng.randint(5, 40)))  # late
    # else: overdue, open past its deadline


def _derived(w: World, parent: WorkPlan, items: list[PlanItem]) -> tuple[int, int]:
    """The branch plans derived from the committee's (the demo secretary's branch and one more)."""
    chosen = [b for b in w.branches if b.name in (flagship.SECRETARY_BRANCH, "总体设计室党支部")]
    plans = [
        WorkPlan(
            organization=b,
            year=parent.year,
            title=f"{b.name}{parent.year}年党建工作计划",
            parent=parent,
            status=PlanStatus.PUBLISHED,
            published_on=w.past((parent.published_on or w.ref) + timedelta(days=14)),
            created_by=w.reviewer(b),
        )
        for b in chosen
    ]
    WorkPlan.objects.bulk_create(plans)
    rows = [
        PlanItem(
            plan=plan,
            order=n,
            category=source.category,
            title=source.title,
            content=f"结合本支部实际：{source.content}",
            source=source,
        )
        for plan in plans
        for n, source in enumerate(items[:8], start=1)
    ]
    PlanItem.objects.bulk_create(rows)
    return len(plans), len(rows)

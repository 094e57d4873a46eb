"""The demo's party work inside the business (``integration.demo``) and its yearly plans (``workplan.demo``), on the
shared demo institute built on the tests' fixed day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count, Q

from dangjian.accounts.models import User
from dangjian.demo.history import WEAK_BRANCH
from dangjian.demo.spec import FIXED_DATE
from dangjian.integration.demo import GAPS
from dangjian.integration.models import (
    ActivityLink,
    BusinessLine,
    ContactPointLink,
    JointActivity,
    JointBuilding,
    LeaderLiaison,
    Milestone,
    ModelPost,
    ModelPostReview,
    Partner,
    Pledge,
    Project,
    ResponsibilityZone,
    Taskforce,
    TaskforceMember,
    TaskforceReport,
    ZoneReport,
)
from dangjian.orgs.models import Organization
from dangjian.people.models import Membership
from dangjian.workplan.models import Deployment, PlanItem, ProgressReport, WorkPlan

pytestmark = pytest.mark.django_db

YEAR = FIXED_DATE.year
CARRIERS = (ModelPost, ResponsibilityZone, Taskforce, Pledge, JointBuilding)


def _key_tasks(year: int):
    return Project.objects.filter(key=True, starts_on__lte=date(year, 12, 31)).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=date(year, 1, 1))
    )


def _working_branches():
    return Organization.objects.filter(kind="branch").exclude(name__startswith="离退休")


def test_four_lines_with_stages_owned_by_departments(institute_demo):
    lines = list(BusinessLine.objects.annotate(n=Count("stages")).order_by("order"))
    assert [line.name for line in lines] == ["计量校准服务", "测试仪器研制", "计量标准与装置", "检测认证与技术服务"]
    assert all(line.department_id and line.n == 5 for line in lines)
    assert institute_demo["integration.BusinessLine"] == 4


def test_about_forty_key_tasks_owned_led_and_answered_for_by_the_owners(institute_demo):
    tasks = list(_key_tasks(YEAR).select_related("leader", "organization"))
    assert 35 <= len(tasks) <= 45
    assert Project.objects.filter(key=False).exists()
    assert {p.kind for p in tasks} == {"research", "production", "mission", "tackling"}
    assert {p.status for p in Project.objects.all()} == {"planned", "active", "done", "suspended"}
    assert {p.starts_on.year for p in tasks} == {YEAR - 1, YEAR}
    covers = set(Organization.departments.through.objects.values_list("organization_id", "department_id"))
    for p in tasks:
        assert p.leader.department_id == p.department_id, p
        assert (p.organization_id, p.department_id) in covers, p
        assert p.people.exists() and p.milestones.exists(), p
    assert Project.organizations.through.objects.exists()


def test_milestones_some_done_one_overdue_none_done_after_the_day(institute_demo):
    done = Milestone.objects.filter(done_on__isnull=False)
    assert done.exists() and not done.filter(done_on__gt=FIXED_DATE).exists()
    assert Milestone.objects.filter(done_on__isnull=True, due_on__lt=FIXED_DATE, project__status="active").exists()


def test_this_years_plan_is_published_and_has_items_in_every_state(institute_demo):
    root = Organization.objects.get(depth=1)
    plan = WorkPlan.objects.get(organization=root, year=YEAR)
    assert plan.status == "published" and plan.doc_no and plan.published_on <= FIXED_DATE
    items = PlanItem.objects.filter(plan=plan)
    assert items.count() == 12 and items.values("category").distinct().count() >= 6
    assert items.filter(projects__isnull=False).exists() and items.filter(lines__isnull=False).exists()
    rows = Deployment.objects.filter(item__plan=plan)
    assert rows.filter(status="done", completed_on__lte=FIXED_DATE).count() == rows.filter(status="done").count()
    on_time = [d for d in rows.filter(status="done") if d.completed_on <= d.deadline]
    late = [d for d in rows.filter(status="done") if d.completed_on > d.deadline]
    assert on_time and late
    assert rows.filter(status="open", deadline__gte=FIXED_DATE).exists()  # open, on its way
    overdue = rows.filter(status="open", deadline__lt=FIXED_DATE)
    assert overdue.filter(organization__name=WEAK_BRANCH).exists()
    assert overdue.filter(responsible__user__username="secretary").exists()  # the demo secretary has one to act on
    assert rows.filter(status="cancelled").exclude(cancel_reason="").exists()
    assert all(d.responsible_id and d.measure for d in rows)


def test_progress_reports_cover_past_quarters_only(institute_demo):
    reports = ProgressReport.objects.filter(year=YEAR)
    assert set(reports.values_list("quarter", flat=True)) == {1, 2, 3}
    assert not ProgressReport.objects.filter(reported_on__gt=FIXED_DATE).exists()
    assert reports.filter(percent=100).exists()


def test_branches_derive_plans_and_last_years_plan_is_mostly_done(institute_demo):
    root = Organization.objects.get(depth=1)
    parent = WorkPlan.objects.get(organization=root, year=YEAR)
    derived = WorkPlan.objects.filter(parent=parent)
    assert derived.count() >= 2
    assert PlanItem.objects.filter(plan__in=derived, source__plan=parent).exists()
    last = WorkPlan.objects.get(organization=root, year=YEAR - 1)
    assert last.status == "published" and last.summary
    rows = Deployment.objects.filter(item__plan=last)
    assert rows.filter(status="done").count() >= 0.9 * rows.count()
    assert ProgressReport.objects.filter(year=YEAR - 1, quarter=4).exists()


def test_commando_and_tackling_teams_on_named_tasks(institute_demo):
    teams = Taskforce.objects.select_related("project")
    assert {t.kind for t in teams} == {"commando", "tackling"}
    assert all(t.project and t.project.key and t.notice_no and t.flag_presented_on for t in teams)
    disbanded = teams.filter(status="disbanded")
    assert disbanded.count() == 1 and disbanded[0].summary and disbanded[0].ends_on <= FIXED_DATE
    assert TaskforceReport.objects.filter(taskforce__in=disbanded).exists()
    members = set(Membership.objects.current().filter(status="full").values_list("person_id", flat=True))
    in_party = set(Membership.objects.current().values_list("person_id", flat=True))
    six_months_ago = FIXED_DATE - timedelta(days=183)
    for team in teams.filter(status="active"):
        roster = TaskforceMember.objects.filter(taskforce=team)
        assert roster.filter(role="captain").count() == 1 and roster.filter(role="vice_captain").exists()
    long_running = [
        t
        for t in teams.filter(status="active")
        if sum(1 for r in t.roster.all() if r.person_id in members and r.joined_on <= six_months_ago) >= 3
    ]
    assert long_running  # a temporary branch is due (RULES.md)
    everyone = TaskforceMember.objects.values_list("person_id", flat=True)
    assert any(pk not in in_party for pk in everyone)  # non-member staff and activists on the rosters


def test_model_posts_and_zones_in_most_branches_in_every_state(institute_demo):
    working = _working_branches().count()
    posts = ModelPost.objects.all()
    assert posts.values("organization").distinct().count() >= 0.6 * working
    assert {p.status for p in posts} == {"applied", "approved", "rejected", "withdrawn"}
    assert all(p.plate_no for p in posts.filter(status="approved"))
    withdrawn = posts.get(status="withdrawn")
    review = ModelPostReview.objects.get(post=withdrawn)
    assert not review.kept and review.score < 60 and review.year == YEAR - 1
    assert ModelPostReview.objects.filter(year=YEAR - 1, kept=True).count() >= 10
    zones = ResponsibilityZone.objects.all()
    assert zones.values("organization").distinct().count() >= 0.6 * working
    assert not ZoneReport.objects.filter(reported_on__gt=FIXED_DATE).exists()
    quarterly = zones.filter(report_every="quarter", starts_on__lte=date(YEAR, 1, 1))
    counts = {z.pk: z.reports.filter(period__startswith=str(YEAR)).count() for z in quarterly}
    assert max(counts.values()) == 3 and min(counts.values()) == 2  # one quarter's report missing


def test_pledges_for_most_members_this_year_and_last_years_fulfilment(institute_demo):
    members = Membership.objects.current().filter(organization__kind="branch").count()
    this = Pledge.objects.filter(year=YEAR)
    assert this.count() >= 0.75 * members
    assert {p.status for p in this} == {"draft", "submitted", "approved", "returned"}
    assert this.filter(status="approved").count() >= 0.8 * this.count()
    last = Pledge.objects.filter(year=YEAR - 1, status="approved")
    assert last.exists() and not last.filter(fulfilment="").exists()
    assert {p.fulfilment for p in last} == {"fulfilled", "partly", "unfulfilled"}
    member = User.objects.get(username="member")
    assert Pledge.objects.filter(person=member.person, year=YEAR, status="approved").exists()


def test_partners_joint_building_liaisons_and_links(institute_demo):
    assert Partner.objects.values("kind").distinct().count() >= 4
    assert JointActivity.objects.filter(held_on__lte=FIXED_DATE).count() == JointActivity.objects.count() > 10
    leader = User.objects.get(username="leader")
    liaisons = LeaderLiaison.objects.all()
    assert liaisons.filter(leader=leader.person).exists()
    assert liaisons.values("leader").distinct().count() >= 5
    assert liaisons.filter(follow_up_done_on__isnull=True, follow_up_due__lt=FIXED_DATE).exists()
    assert not liaisons.filter(held_on__gt=FIXED_DATE).exists()
    assert ContactPointLink.objects.count() >= 3
    links = ActivityLink.objects.select_related("meeting")
    assert links.count() >= 5 and all(link.meeting.kind in ("theme_day", "lecture") for link in links)


def test_gaps_key_tasks_without_any_carrier(institute_demo):
    tasks = set(_key_tasks(YEAR).values_list("pk", flat=True))
    carried: set[int] = set()
    for model in CARRIERS:
        carried |= set(model.objects.filter(project__isnull=False).values_list("project_id", flat=True))
    carried |= set(ContactPointLink.objects.values_list("project_id", flat=True))
    carried |= set(ActivityLink.objects.values_list("project_id", flat=True))
    gaps = tasks - carried
    assert set(Project.objects.filter(pk__in=gaps).values_list("name", flat=True)) >= GAPS
    assert len(tasks & carried) >= 0.6 * len(tasks)

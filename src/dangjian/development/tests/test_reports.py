"""Funnel, due and overdue lists, the .xlsx export and the bulk status: right numbers, scope, constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.core import context
from dangjian.development import services
from dangjian.development.bulk import bulk_status
from dangjian.development.models import Development
from dangjian.development.synth import Plan, build, gather
from dangjian.development.timeline import BLOCKED, DUE, OVERDUE, summarize, timeline
from dangjian.orgs.models import Organization
from dangjian.rules import services as rule_store
from dangjian.sheets.testing import INJECTION, assert_written_as_text, list_rows
from dangjian.testing import main_content, make_member, make_person, make_tree, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    t = make_tree()
    sec = make_user("sec1", "secretary", t.branch1, person=make_member(t.branch1, "书记甲"))
    sec2 = make_user("sec2", "secretary", t.branch2, person=make_member(t.branch2, "书记乙"))
    office = make_user("office", "office", t.root)
    for branch in (t.branch1, t.branch2):
        for i in range(3):
            make_member(branch, f"{branch.name}党员{i}")
    return t, sec, sec2, office


@pytest.fixture(autouse=True)
def _audit_user(world):
    with context.acting(world[1]):
        yield


def _people(t, n, dept=None):
    for i in range(n):
        make_person(f"群众{dept.name if dept else ''}{i}", department=dept or t.dept1, political_status="masses")


def _build(world, n, *, seed=1, forced=()):
    t, sec, sec2, office = world
    candidates, members = gather(Organization.objects.filter(pk__in=[t.branch1.pk, t.branch2.pk]))
    used = set(Development.all_objects.values_list("person_id", flat=True))
    candidates = [c for c in candidates if c.person_id not in used]
    return build(Plan(n, timezone.localdate(), list(forced)), candidates, members, office, seed)


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries), response.content.decode()


# --- bulk status ------------------------------------------------------------------------------------------------


def test_bulk_status_agrees_with_each_case_timeline_in_at_most_four_queries(world):
    t = world[0]
    _people(t, 25)
    _people(t, 15, t.dept2)
    _build(world, 40, seed=3)
    today = timezone.localdate()
    cases = Development.objects.all()
    # the rule store is read once per request (here: once for the block), whatever the number of cases
    with rule_store.holding():
        rule_store.book()
        with CaptureQueriesContext(connection) as ctx:
            states = bulk_status(cases, today)
    assert len(ctx.captured_queries) <= 4
    assert len(states) == cases.count() >= 30
    for dev in cases.select_related("person"):
        expected = summarize(timeline(dev, today), today)
        got = states[dev.pk].summary
        assert (got.status, got.deadline, got.next and got.next.step.number) == (
            expected.status,
            expected.deadline,
            expected.next and expected.next.step.number,
        ), dev.pk
        assert states[dev.pk].stage == dev.stage  # refresh_all wrote the same stage
    assert {s.status for s in states.values()} >= {DUE, OVERDUE}


def test_bulk_status_query_count_does_not_grow_with_cases(world):
    t = world[0]
    _people(t, 30)
    today = timezone.localdate()
    # one case waits for its training contacts (step 5) and one for confirming the candidate (step 7, which reads
    # the reviews), so the contacts and the reviews queries run at both sizes
    forced = [(4, today - timedelta(days=10)), (1, today - timedelta(days=3)), (6, today - timedelta(days=20))]
    _build(world, 3, seed=1, forced=forced)
    with CaptureQueriesContext(connection) as small:
        bulk_status(Development.objects.all(), timezone.localdate())
    _build(world, 25, seed=2)
    with CaptureQueriesContext(connection) as large:
        states = bulk_status(Development.objects.all(), timezone.localdate())
    assert len(states) > 20 and len(small.captured_queries) == len(large.captured_queries)


def test_a_blocked_next_step_past_its_deadline_counts_as_overdue(world):
    t, sec, sec2, office = world
    young = make_person("少年", department=t.dept1, birth=date(2010, 1, 1))
    dev = services.open_case(sec, young.pk, t.branch1.pk, date(2024, 3, 1))
    summary = bulk_status(Development.objects.filter(pk=dev.pk), date(2024, 3, 10))[dev.pk].summary
    assert summary.status == BLOCKED and "未满18周岁" in summary.reason
    late = bulk_status(Development.objects.filter(pk=dev.pk), date(2024, 4, 2))[dev.pk].summary
    assert late.status == OVERDUE and "第2步" in late.reason and late.deadline == date(2024, 4, 1)


# --- funnel -----------------------------------------------------------------------------------------------------


def test_funnel_counts_per_stage_for_the_tree_and_links_to_lists_and_subtrees(world, client):
    t, sec, sec2, office = world
    _people(t, 12)
    _people(t, 8, t.dept2)
    _build(world, 20, seed=5)
    client.force_login(office)
    _, page = _queries(client, reverse("development:funnel"))
    today = timezone.localdate()
    open_ = Development.objects.filter(status="open")
    for stage in ("applicant", "activist", "candidate", "probationary"):
        n = open_.filter(stage=stage).count()
        assert f"?stage={stage}&amp;org={t.root.pk}&amp;status=open" in page
        assert f'<div class="num">{n}</div>' in page or n == 0
    overdue = open_.filter(next_due_on__lt=today).count()
    assert overdue > 0 and f'<div class="num">{overdue}</div>' in page
    # the child row (一总支) links to its own funnel, whose rows are the two branches
    assert f'href="?org={t.general.pk}"' in page
    _, sub = _queries(client, reverse("development:funnel"), org=t.general.pk)
    assert f'href="?org={t.branch1.pk}"' in sub and f'href="?org={t.branch2.pk}"' in sub
    b1 = open_.filter(branch=t.branch1, stage="applicant").count()
    if b1:
        assert f'?stage=applicant&amp;org={t.branch1.pk}&amp;status=open">{b1}</a>' in sub
    # drill-down: the linked list shows exactly those cases
    _, listed = _queries(client, reverse("development:list"), stage="activist", org=t.root.pk, status="open")
    for dev in open_.filter(stage="activist").select_related("person"):
        assert dev.person.name in listed


def test_funnel_query_count_is_constant(world, client):
    t, sec, sec2, office = world
    _people(t, 30)
    _people(t, 10, t.dept2)
    _build(world, 4, seed=1)
    client.force_login(office)
    small, _ = _queries(client, reverse("development:funnel"))
    small_sub, _ = _queries(client, reverse("development:funnel"), org=t.general.pk)
    _build(world, 30, seed=2)
    large, _ = _queries(client, reverse("development:funnel"))
    large_sub, _ = _queries(client, reverse("development:funnel"), org=t.general.pk)
    assert small == large and small_sub == large_sub


def test_a_secretary_sees_only_the_own_branch_funnel(world, client):
    t, sec, sec2, office = world
    _people(t, 6)
    _people(t, 6, t.dept2)
    _build(world, 12, seed=4)
    client.force_login(sec2)
    _, page = _queries(client, reverse("development:funnel"))
    page = main_content(page)
    assert t.branch2.name in page and t.branch1.name not in page
    n = Development.objects.filter(branch=t.branch2, status="open", stage="applicant").count()
    assert f"?stage=applicant&amp;org={t.branch2.pk}&amp;status=open" in page and f'<div class="num">{n}</div>' in page
    assert client.get(reverse("development:funnel"), {"org": t.branch1.pk}).status_code == 404
    assert client.get(reverse("development:funnel"), {"org": t.root.pk}).status_code == 404


# --- due and overdue lists --------------------------------------------------------------------------------------


def test_due_and_overdue_lists_are_sorted_by_deadline_and_show_the_step(world, client):
    t, sec, sec2, office = world
    today = timezone.localdate()
    _people(t, 10)
    # talk due in 20 days, talk overdue, approval due in about 20 days, approval overdue
    forced = [(1, today - timedelta(days=10)), (1, today - timedelta(days=45))]
    forced += [(15, today - timedelta(days=70)), (15, today - timedelta(days=120))]
    _build(world, 4, forced=forced)
    client.force_login(sec)
    _, soon = _queries(client, reverse("development:due"))
    _, late = _queries(client, reverse("development:overdue"))
    soon_cases = list(Development.objects.filter(next_due_on__gte=today, next_due_on__lte=today + timedelta(30)))
    late_cases = list(Development.objects.filter(next_due_on__lt=today, status="open"))
    assert len(soon_cases) == 2 and len(late_cases) == 2
    assert "第2步 党组织派人谈话" in soon and "第17步 上级党委审批" in soon
    assert "第2步 党组织派人谈话" in late and "第17步 上级党委审批" in late
    for page, cases in ((soon, soon_cases), (late, late_cases)):
        cases.sort(key=lambda d: d.next_due_on)
        positions = [page.index(d.next_due_on.isoformat()) for d in cases]
        assert positions == sorted(positions)
    assert "已超期" in late


def test_due_lists_query_count_is_constant_and_scoped(world, client):
    t, sec, sec2, office = world
    today = timezone.localdate()
    _people(t, 30)
    _build(world, 2, forced=[(1, today - timedelta(days=45)), (1, today - timedelta(days=5))])
    client.force_login(sec)
    small = [_queries(client, reverse(name))[0] for name in ("development:due", "development:overdue")]
    forced = [(1, today - timedelta(days=40 + i)) for i in range(10)] + [
        (1, today - timedelta(days=i)) for i in range(10)
    ]
    _build(world, 20, forced=forced, seed=9)
    large = [_queries(client, reverse(name))[0] for name in ("development:due", "development:overdue")]
    assert small == large
    client.force_login(sec2)
    _, page = _queries(client, reverse("development:overdue"))
    assert "没有超期的步骤" in page


# --- export -----------------------------------------------------------------------------------------------------


def test_export_lists_everyone_in_progress_with_stage_next_step_deadline_and_status(world, client):
    t, sec, sec2, office = world
    today = timezone.localdate()
    _people(t, 8)
    _people(t, 4, t.dept2)
    _build(world, 12, seed=6, forced=[(25, today - timedelta(days=3)), (1, today - timedelta(days=45))])
    client.force_login(office)
    response = client.get(reverse("development:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list_rows(response.content)
    assert rows[0][:10] == (
        "姓名",
        "性别",
        "党支部",
        "当前阶段",
        "递交入党申请书日期",
        "下一步骤",
        "下一步骤名称",
        "最近期限",
        "期限所属步骤",
        "状态",
    )
    open_cases = Development.objects.filter(status="open").select_related("person")
    assert len(rows) - 1 == open_cases.count() and Development.objects.filter(status="closed").exists()
    states = bulk_status(Development.objects.all(), today)
    by_name = {r[0]: r for r in rows[1:]}
    for dev in open_cases:
        row = by_name[dev.person.name]
        state = states[dev.pk]
        assert row[5] == state.next_step and row[9] == state.summary.label
        assert (row[7].date() if row[7] else None) == state.deadline
    overdue_row = next(r for r in rows[1:] if r[9] == "已超期")
    assert "期限" in overdue_row[10] and "已过" in overdue_row[10]
    # filters and scope: the secretary of branch 2 with stage=applicant gets only those
    client.force_login(sec2)
    names = {r[0] for r in list_rows(client.get(reverse("development:export"), {"stage": "applicant"}).content)[1:]}
    expected = set(open_cases.filter(branch=t.branch2, stage="applicant").values_list("person__name", flat=True))
    assert names == expected


def test_bulk_status_reads_cases_recorded_out_of_order_in_full(world):
    """Imported or repaired data may lack a step in the middle: the bulk status then reads those cases whole."""
    from dangjian.development.models import StepRecord

    t, sec, sec2, office = world
    applicant = make_person("跳步", department=t.dept1, birth=date(1990, 1, 1))
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 1, 2))
    for number, code in ((1, "submit_application"), (3, "confirm_activist")):
        StepRecord.objects.create(development=dev, number=number, code=code, done_on=date(2024, 8, 1), recorded_by=sec)
    today = date(2024, 9, 1)
    state = bulk_status(Development.objects.filter(pk=dev.pk), today)[dev.pk]
    expected = summarize(timeline(dev, today), today)
    assert state.next_step == 2 == expected.next.step.number
    assert state.summary.status == expected.status and state.stage == "activist"


def test_case_page_shows_a_blocked_step_with_its_reason_and_keeps_the_refused_form(world, client):
    t, sec, sec2, office = world
    applicant = make_person("受阻", department=t.dept1, birth=date(1990, 1, 1))
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 1, 2))
    for number, day in ((1, date(2024, 1, 2)), (2, date(2024, 1, 20)), (3, date(2024, 8, 1)), (4, date(2024, 8, 2))):
        services.record_step(sec, dev.pk, number, {"done_on": day})
    client.force_login(sec)
    page = client.get(reverse("development:detail", args=[dev.pk])).content.decode()
    assert "应指定1至2名培养联系人，现有 0 名" in page and "第9条" in page
    response = client.post(reverse("development:step", args=[dev.pk]), {"step": 5, "done_on": "2024-08-03"})
    page = response.content.decode()
    assert response.status_code == 200 and 'id="step-form"' in page and 'value="2024-08-03"' in page
    assert 'class="flash flash-error"' in page and "应指定1至2名培养联系人" in page


def test_home_alert_counts_overdue_and_due_soon_in_scope(world):
    from dangjian.development.home import alert

    t, sec, sec2, office = world
    today = timezone.localdate()
    _people(t, 4)
    _build(world, 3, forced=[(1, today - timedelta(days=45)), (1, today - timedelta(days=5)), (2, today)])
    mine = alert(sec, today)
    assert (mine.overdue, mine.soon) == (1, 1) and mine.any and mine.overdue_url == reverse("development:overdue")
    other = alert(sec2, today)
    assert (other.overdue, other.soon) == (0, 0) and not other.any
    member = make_user("m1", "member", person=make_member(t.branch1, "党员丙"))
    assert alert(member, today) is None


def test_the_export_writes_a_formula_like_name_as_text(world, client):
    t, sec, sec2, office = world
    _people(t, 3)
    _build(world, 3, seed=2)
    person = Development.objects.filter(status="open").first().person
    person.name = INJECTION
    person.save()
    client.force_login(office)
    assert_written_as_text(client.get(reverse("development:export")).content)


def test_a_refused_step_says_why_at_the_top_and_on_its_row_and_keeps_what_was_typed(world, client):
    """Issue 13 §3: the refusal was shown only below the 25-row timeline. 细则 第7条 (谈话 within 1 month of the
    application) refuses a talk 40 days late; the page now opens with the reason, repeats it on step 2's row, and
    the form keeps the date, the documents and the note the secretary typed."""
    t, sec, sec2, office = world
    applicant = make_person("迟谈", department=t.dept1, birth=date(1990, 1, 1))
    dev = services.open_case(sec, applicant.pk, t.branch1.pk, date(2024, 1, 2))
    services.record_step(sec, dev.pk, 1, {"done_on": date(2024, 1, 2)})
    client.force_login(sec)
    posted = {"step": 2, "done_on": "2024-02-11", "documents": "谈话记录甲", "note": "出差返回后谈话"}
    page = client.post(reverse("development:step", args=[dev.pk]), posted).content.decode()
    top = page.index('id="step-refused"')
    assert top < page.index("<table") and "谈话晚于期限" in page[top : page.index("<table")]
    row = page[page.index('<tr id="step-2">') : page.index('<tr id="step-3">')]
    assert "step-refused" in row and "谈话晚于期限" in row and "第7条" in row
    form = page[page.index('id="step-form"') :]
    assert 'value="2024-02-11"' in form and "谈话记录甲</textarea>" in form and "出差返回后谈话</textarea>" in form
    # a page without a refusal has no alert
    assert 'id="step-refused"' not in client.get(reverse("development:detail", args=[dev.pk])).content.decode()

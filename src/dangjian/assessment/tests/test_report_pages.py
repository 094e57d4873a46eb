"""Issue 14 §4, 述职评议 pages: the office runs the meeting, a rater votes once on the ballot page, the office enters
paper tallies and closes, the results page and the secretary's own result; out of scope is 404; the documents
reopen as A4 with the secretaries and the grades; the results page's queries do not grow with the rows."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from dangjian.assessment import report_services as services
from dangjian.assessment.models import Ballot, Rater
from dangjian.assessment.tests.report_fixtures import meeting, world
from dangjian.testing import make_member, make_user

pytestmark = pytest.mark.django_db


def test_the_office_runs_a_meeting_from_creation_to_results(client):
    w = world()
    client.force_login(w.office)
    response = client.post(
        reverse("assessment:report_meeting_new"),
        {
            "organization": w.t.root.pk,
            "year": 2026,
            "held_on": "2027-01-10",
            "title": "2026年度书记述职评议",
            "w_committee": 30,
            "w_secretaries": 20,
            "w_members": 30,
            "w_staff": 20,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    m = w.t.root.report_meetings.get()
    page = client.get(reverse("assessment:report_meeting", args=[m.pk])).content.decode()
    assert "书记甲" in page and "一支部" in page  # a candidate from branch1's current term
    act = reverse("assessment:report_meeting_act", args=[m.pk])
    client.post(
        act, {"action": "add_reports", "secretary": [f"{w.p1.pk}:{w.t.branch1.pk}", f"{w.p2.pk}:{w.t.branch2.pk}"]}
    )
    client.post(
        act, {"action": "add_raters", "group": "committee", "person": [u.person_id for u in w.raters["committee"]]}
    )
    assert m.reports.count() == 2 and m.raters.count() == 3
    client.post(act, {"action": "open"})
    m.refresh_from_db()
    assert m.status == "voting"

    rater = w.raters["committee"][0]
    client.force_login(rater)
    vote = reverse("assessment:report_vote", args=[m.pk])
    html = client.get(vote).content.decode()
    assert "书记甲" in html and "书记乙" in html and "较好" in html
    r1, r2 = (r.pk for r in m.reports.order_by("order"))
    response = client.post(vote, {f"r{r1}": "good"})  # one secretary left blank
    assert "请对每一位述职书记作出评价" in response.content.decode()
    client.post(vote, {f"r{r1}": "good", f"r{r2}": "fairly_good"})
    client.post(vote, {f"r{r1}": "poor", f"r{r2}": "poor"})  # a second try changes nothing
    assert Ballot.objects.filter(meeting=m).count() == 2 and not Ballot.objects.filter(grade="poor").exists()
    assert "您已投票" in client.get(vote).content.decode()
    # a rater opens nothing of the office's
    assert client.get(reverse("assessment:report_meeting", args=[m.pk])).status_code == 404
    assert client.get(reverse("assessment:report_results", args=[m.pk])).status_code == 404

    client.force_login(w.office)
    tally = reverse("assessment:report_tally", args=[m.pk])
    response = client.post(tally, {"group": "members", "papers": 3, f"c_{r1}_good": 4})
    assert "超过收回测评表数 3" in response.content.decode()
    client.post(tally, {"group": "members", "papers": 3, f"c_{r1}_good": 3, f"c_{r2}_average": 3})
    results = reverse("assessment:report_results", args=[m.pk])
    assert "以保护匿名" in client.get(results).content.decode()  # withheld while voting
    edit = reverse("assessment:report_edit", args=[m.pk, r1])
    client.post(edit, {"text": "一年来……", "remarks": "抓党建工作有力", "problems": "三会一课记录不规范"})
    client.post(act, {"action": "close"})
    html = client.get(results).content.decode()
    assert "抓党建工作有力" in html and "100.00" in html

    # the secretary sees their own result, and no one else's
    client.force_login(w.sec1)
    assert "100.00" in client.get(reverse("assessment:report_own", args=[r1])).content.decode()
    assert client.get(reverse("assessment:report_own", args=[r2])).status_code == 404
    assert client.get(reverse("assessment:report_vote", args=[m.pk])).status_code == 404  # not a rater here
    assert client.get(reverse("assessment:report_meeting", args=[m.pk])).status_code == 404


def test_an_office_outside_the_committee_and_a_stranger_get_404():
    from django.test import Client

    w = world()
    m = meeting(w)
    client = Client()
    client.force_login(make_user("office_b2_r", "office", w.t.branch2))
    for name in ("report_meeting", "report_results", "report_tally", "report_ballot_docx", "report_results_xlsx"):
        assert client.get(reverse(f"assessment:{name}", args=[m.pk])).status_code == 404, name
    stranger = make_user("stranger_r", "member", w.t.branch1, person=make_member(w.t.branch1, "路人"))
    client.force_login(stranger)
    assert client.get(reverse("assessment:report_vote", args=[m.pk])).status_code == 404
    assert client.get(reverse("assessment:report_own", args=[m.reports.first().pk])).status_code == 404


def test_the_results_page_takes_the_same_queries_for_more_secretaries(client):
    w = world()
    m = meeting(w)
    services.close(w.office, m.pk)
    client.force_login(w.office)
    url = reverse("assessment:report_results", args=[m.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(3):
        org = w.t.office_branch
        p = make_member(org, f"加书记{i}")
        m.reports.create(person=p, organization=org, order=10 + i)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_paper_form_and_the_results_workbook_reopen():
    from django.test import Client

    w = world()
    m = meeting(w)
    client = Client()
    client.force_login(w.office)
    content = client.get(reverse("assessment:report_ballot_docx", args=[m.pk])).content
    doc = Document(BytesIO(content))
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert len(doc.tables) == 4  # one form per rater group with a weight
    cells = [c.text for c in doc.tables[0].rows[0].cells]
    assert cells[-4:] == ["好", "较好", "一般", "差"]
    names = {row.cells[1].text for row in doc.tables[0].rows[1:]}
    assert names == {"书记甲", "书记乙"}
    assert doc.tables[0].rows[1].cells[3].text == "□"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "党委委员" in text and "职工代表" in text

    r1 = m.reports.get(person=w.p1)
    services.vote(w.raters["staff"][0], m.pk, {r.pk: "fairly_good" for r in m.reports.all()})
    services.save_report(w.office, r1.pk, text="", remarks="点评甲", problems="问题甲")
    assert client.get(reverse("assessment:report_results_xlsx", args=[m.pk])).status_code == 302  # not yet
    services.close(w.office, m.pk)
    content = client.get(reverse("assessment:report_results_xlsx", args=[m.pk])).content
    ws = load_workbook(BytesIO(content)).active
    assert ws.page_setup.paperSize in (9, "9")
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    flat = [v for row in rows for v in row]
    assert "书记甲" in flat and "点评甲" in flat and "问题甲" in flat and "较好" in flat
    assert 80 in flat and "0/2/0/0" not in flat and "0/1/0/0" in flat
    assert Rater.objects.filter(meeting=m, voted_at__isnull=False).count() == 1


def test_a_rater_and_a_secretary_find_their_pages_on_the_home_page(client):
    from django.utils import timezone

    from dangjian.assessment.report_home import home_items

    today = timezone.localdate()

    w = world()
    m = meeting(w)
    rater = w.raters["members"][0]
    items = home_items(rater, today)
    assert [i.link for i in items] == [reverse("assessment:report_vote", args=[m.pk])]
    services.vote(rater, m.pk, {r.pk: "good" for r in m.reports.all()})
    assert home_items(rater, today) == []
    services.close(w.office, m.pk)
    own = m.reports.get(person=w.p1)
    assert [i.link for i in home_items(w.sec1, today)] == [reverse("assessment:report_own", args=[own.pk])]


def test_a_report_file_is_checked_by_its_content_and_downloaded_by_the_office_only(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    w = world()
    m = meeting(w)
    r1 = m.reports.get(person=w.p1)
    client.force_login(w.office)
    edit = reverse("assessment:report_edit", args=[m.pk, r1.pk])
    fake = SimpleUploadedFile("述职.pdf", b"<html>not a pdf</html>")
    response = client.post(edit, {"text": "", "remarks": "", "problems": "", "file": fake})
    assert "文件内容与扩展名不符" in response.content.decode()
    pdf = SimpleUploadedFile("述职.pdf", b"%PDF-1.4 report")
    assert client.post(edit, {"text": "", "remarks": "", "problems": "", "file": pdf}).status_code == 302
    url = reverse("assessment:report_file", args=[m.pk, r1.pk])
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(w.sec1)  # the secretary themselves reads their result, not the office's file page
    assert client.get(url).status_code == 404


def test_the_meeting_and_list_pages_take_the_same_queries_for_more_rows(client):
    w = world()
    m = meeting(w, open_it=False)
    client.force_login(w.office)
    urls = [reverse("assessment:report_meeting", args=[m.pk]), reverse("assessment:report_meetings")]
    for url in urls:
        client.get(url)
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    for i in range(3):
        p = make_member(w.t.office_branch, f"再加{i}")
        m.reports.create(person=p, organization=w.t.office_branch, order=10 + i)
        m.raters.create(person=p, group="staff")
        services.create_meeting(w.office, w.t.root.pk, year=2020 + i, held_on=m.held_on, title=f"第{i}次")
    for url, before in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        assert len(ctx.captured_queries) == before, url

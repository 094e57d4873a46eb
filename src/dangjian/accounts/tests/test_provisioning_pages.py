"""The page that opens member accounts, its result and the two sheets (issue 13 §1)."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from dangjian.accounts.models import User
from dangjian.accounts.views import provision as views
from dangjian.audit.models import AuditEvent
from dangjian.testing import make_member

pytestmark = pytest.mark.django_db

PREVIEW = reverse("accounts:provision")
RESULT = reverse("accounts:provision_result")


@pytest.fixture
def world(personas):
    t = personas.tree
    zhang = make_member(t.branch1, "张三", department=t.dept1)
    li = make_member(t.branch1, "李四", department=t.dept1)
    wang = make_member(t.branch2, "王五", department=t.dept2)
    return personas, zhang, li, wang


def _confirm(client, org, count: int, **extra):
    data = {"count": count, "confirm": "on", **extra}
    return client.post(reverse("accounts:provision_confirm", args=[org.pk]), data)


def test_the_secretary_previews_her_own_branch_by_default(client, world):
    personas, zhang, li, wang = world
    client.force_login(personas.secretary)
    html = client.get(PREVIEW).content.decode()
    assert 'id="provision-preview"' in html
    preview = html.split('id="provision-preview"')[1].split("</table>")[0]
    assert "张三" in preview and "李四" in preview and "王五" not in html
    assert "将开通 2 个账号" in html and "2 人已有账号" in html
    assert User.objects.filter(person__in=[zhang, li]).count() == 0  # a preview writes nothing


def test_another_branch_is_not_found(client, world):
    personas, zhang, li, wang = world
    client.force_login(personas.secretary)
    assert client.get(PREVIEW, {"organization": personas.tree.branch2.pk}).status_code == 404
    assert client.get(PREVIEW, {"organization": "x"}).status_code == 404
    assert _confirm(client, personas.tree.branch2, 1).status_code == 404
    assert not User.objects.filter(person=wang).exists()


def test_members_without_the_permission_get_404(client, world):
    personas, *_ = world
    client.force_login(personas.member)
    assert client.get(PREVIEW).status_code == 404
    assert client.get(RESULT).status_code == 404


def test_the_menu_offers_the_page_to_secretaries_and_the_office_only(client, world):
    personas, *_ = world
    for user, shown in ((personas.secretary, True), (personas.office, True), (personas.member, False)):
        client.force_login(user)
        assert (f'href="{PREVIEW}"' in client.get("/").content.decode()) is shown, user


def test_confirming_without_the_tick_or_after_the_list_changed_opens_nothing(client, world):
    personas, zhang, li, wang = world
    t = personas.tree
    client.force_login(personas.secretary)
    response = client.post(reverse("accounts:provision_confirm", args=[t.branch1.pk]), {"count": 2}, follow=True)
    assert "请勾选" in response.content.decode()
    response = _confirm(client, t.branch1, 1)  # the secretary saw one name, there are two now
    assert response.status_code == 302
    assert "名单已发生变化" in client.get(response["Location"]).content.decode()
    assert not User.objects.filter(person__in=[zhang, li]).exists()


def test_confirming_opens_the_accounts_and_shows_the_passwords_to_the_secretary_only(client, world):
    personas, zhang, li, wang = world
    client.force_login(personas.secretary)
    response = _confirm(client, personas.tree.branch1, 2)
    assert response["Location"] == RESULT
    html = client.get(RESULT).content.decode()
    accounts = {u.username: u for u in User.objects.filter(person__in=[zhang, li])}
    assert len(accounts) == 2
    table = html.split('id="provision-result"')[1].split("</table>")[0]
    rows = [
        (r.split('class="username">')[1].split("<")[0], r.split('class="secret password">')[1].split("<")[0])
        for r in table.split("<tr>")[2:]
    ]
    assert {u for u, _ in rows} == set(accounts)
    for username, password in rows:
        assert accounts[username].check_password(password)
    # the session row holds them sealed, never in clear; the audit log never
    sealed = json.dumps(Session.objects.get().get_decoded())
    logged = json.dumps([[e.before, e.after, e.detail] for e in AuditEvent.objects.all()])
    for _, password in rows:
        assert password not in sealed and password not in logged
    # another user's session has no result to show
    client.force_login(personas.office)
    response = client.get(RESULT, follow=True)
    assert "开通结果已不可查看" in response.content.decode()
    assert client.get(reverse("accounts:provision_xlsx")).status_code == 302


def test_the_member_logs_in_with_the_password_and_must_change_it_first(client, world):
    personas, zhang, li, wang = world
    client.force_login(personas.secretary)
    _confirm(client, personas.tree.branch1, 2)
    html = client.get(RESULT).content.decode()
    row = html.split('id="provision-result"')[1].split("<tr>")[2]
    username = row.split('class="username">')[1].split("<")[0]
    password = row.split('class="secret password">')[1].split("<")[0]
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302
    assert client.get("/meetings/")["Location"].startswith(reverse("accounts:password_change"))


def test_the_result_expires_and_can_be_cleared(client, world):
    personas, *_ = world
    client.force_login(personas.secretary)
    _confirm(client, personas.tree.branch1, 2)
    assert client.get(RESULT).status_code == 200
    session = client.session
    kept = session[views.SESSION_KEY]
    session[views.SESSION_KEY] = {**kept, "until": (timezone.now() - timedelta(seconds=1)).isoformat()}
    session.save()
    assert client.get(RESULT)["Location"] == PREVIEW
    assert views.SESSION_KEY not in client.session
    _confirm(client, personas.tree.general, 0)  # nothing left to open: no result replaces the cleared one
    assert client.get(RESULT).status_code == 302
    personas_again = world[0]
    make_member(personas_again.tree.branch1, "周九", department=personas_again.tree.dept1)
    _confirm(client, personas.tree.branch1, 1)
    assert client.get(RESULT).status_code == 200
    client.post(reverse("accounts:provision_discard"))
    assert client.get(RESULT).status_code == 302


def test_a_batch_over_the_page_limit_is_not_offered_and_not_opened(client, world, monkeypatch):
    personas, zhang, li, wang = world
    monkeypatch.setattr(views, "WEB_LIMIT", 1)
    client.force_login(personas.secretary)
    html = client.get(PREVIEW).content.decode()
    assert "一次最多开通 1 个账号" in html and 'id="provision-confirm"' not in html
    response = _confirm(client, personas.tree.branch1, 2)
    assert "一次最多开通 1 个账号" in client.get(response["Location"]).content.decode()
    assert not User.objects.filter(person__in=[zhang, li]).exists()


def test_the_preview_takes_the_same_queries_for_a_bigger_branch(client, world, django_assert_max_num_queries):
    personas, *_ = world
    client.force_login(personas.office)
    url = f"{PREVIEW}?organization={personas.tree.root.pk}&employees=on"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for n in range(10):
        make_member(personas.tree.branch1, f"新党员{n}", department=personas.tree.dept1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def _opened(client, personas):
    client.force_login(personas.office)
    response = _confirm(client, personas.tree.root, 3)
    assert response["Location"] == RESULT
    return {u.person.name: u.username for u in User.objects.filter(must_change_password=True).select_related("person")}


def test_the_xlsx_sheet_has_one_printable_sheet_per_branch(client, world, settings):
    personas, *_ = world
    settings.DANGJIAN_SITE_URL = "https://dangjian.example.cn/"
    names = _opened(client, personas)
    response = client.get(reverse("accounts:provision_xlsx"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["一支部", "二支部"]
    sheet = book["一支部"]
    assert sheet["A1"].value == "一支部 党员账号开通通知单（首次登录须修改初始密码）"
    assert [c.value for c in sheet[2]] == ["序号", "姓名", "用户名", "初始密码", "登录地址"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[0], r[1], r[2]) for r in rows] == [(1, "李四", names["李四"]), (2, "张三", names["张三"])]
    for r in rows:
        assert User.objects.get(username=r[2]).check_password(r[3])
        assert r[4] == "https://dangjian.example.cn/"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"
    assert [[c.value for c in row][1] for row in book["二支部"].iter_rows(min_row=3)] == ["王五"]


def test_the_docx_sheet_has_one_a4_page_per_branch(client, world):
    personas, *_ = world
    names = _opened(client, personas)
    response = client.get(reverse("accounts:provision_docx"))
    document = Document(io.BytesIO(response.content))
    assert len(document.sections) == 2  # one section, starting a new page, per branch
    for section in document.sections:
        assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
        assert [round(x.mm) for x in (section.top_margin, section.left_margin)] == [37, 28]
    text = "\n".join(p.text for p in document.paragraphs)
    assert text.count("党员账号开通通知单") == 2
    assert "一支部：" in text and "二支部：" in text
    assert "http://testserver/" in text and "首次登录时系统要求设置自己的新密码" in text
    assert "测试所党委" in text  # the issuer
    first, second = document.tables
    assert [c.text for c in first.rows[0].cells] == ["序号", "姓名", "用户名", "初始密码"]
    cells = [[c.text for c in row.cells] for row in first.rows[1:]]
    assert [(r[0], r[1], r[2]) for r in cells] == [("1", "李四", names["李四"]), ("2", "张三", names["张三"])]
    assert all(User.objects.get(username=r[2]).check_password(r[3]) for r in cells)
    assert [c.text for c in second.rows[1].cells][1] == "王五"

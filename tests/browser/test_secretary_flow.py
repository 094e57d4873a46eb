import csv
import io

import pytest

from dangjian.people.models import Person
from dangjian.testing import PASSWORD, make_member, make_tree, make_user

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    t = make_tree()
    mine = make_member(t.branch1, "林小燕", department=t.dept1, sex="F")
    other = make_member(t.branch2, "周大山", department=t.dept2)
    make_user("sec1", "secretary", t.branch1)
    return t, mine, other


def test_a_secretary_sees_only_the_branch_and_gets_404_elsewhere(page, live_server, world):
    t, mine, other = world
    login(page, live_server.url, "sec1", PASSWORD)
    page.goto(f"{live_server.url}/people/")
    table = page.locator("#people-table")
    assert "林小燕" in table.inner_text()
    assert "周大山" not in page.content()
    page.click("text=林小燕")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("林小燕")
    assert mine.id_number in page.content()  # the secretary may see the full ID number
    response = page.goto(f"{live_server.url}/people/{other.pk}/")
    assert response.status == 404
    assert "不在您的管理范围内" in page.content()


def test_the_menu_works_on_a_phone(phone, live_server, world):
    login(phone, live_server.url, "sec1", PASSWORD)
    phone.goto(f"{live_server.url}/")
    assert not phone.locator("#mainnav").is_visible()
    phone.click(".menu-toggle")
    assert phone.locator("#mainnav").is_visible()
    phone.click("#mainnav summary >> text=组织与党员")
    phone.click("#mainnav >> text=职工与党员")
    phone.wait_for_load_state()
    assert "林小燕" in phone.content()


def _csv(rows: list[list[str]]) -> bytes:
    from dangjian.people.roster import COLUMNS

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(list(COLUMNS))
    for r in rows:
        w.writerow(r)
    return out.getvalue().encode("utf-8-sig")


def _row(name, id_number, sex="男", branch="一支部", status="中共党员"):
    from dangjian.people.roster import COLUMNS

    values = {
        "姓名": name,
        "性别": sex,
        "公民身份号码": id_number,
        "民族": "汉族",
        "学历": "大学本科",
        "手机号码": "13800138000",
        "部门": "一室",
        "岗位": "工程师",
        "职称": "工程师",
        "用工类型": "在编",
        "政治面貌": status,
        "入职日期": "2015-07-01",
        "所在党支部": branch,
        "所在党小组": "",
        "申请入党日期": "2008-03-01",
        "入党日期": "2010-07-01",
        "转正日期": "2011-07-01",
    }
    return [values.get(header, "") for header in COLUMNS]


def test_a_roster_with_errors_shows_every_error_and_writes_nothing_then_a_valid_one_imports(
    page, live_server, world, tmp_path
):
    from datetime import date

    from dangjian.idgen import make_id_number

    # 18 before applying in 2008 (党章 第一条: the roster refuses an application before the 18th birthday)
    good1 = make_id_number(date(1985, 5, 4), "M", 11)
    good2 = make_id_number(date(1986, 8, 9), "F", 12)
    bad_check = good1[:-1] + ("0" if good1[-1] != "0" else "1")
    before = Person.all_objects.count()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        _csv(
            [
                _row("张三", bad_check),
                _row("李四", good2, sex="男"),  # the ID says female
                _row("王五", good1, branch="不存在的支部"),
            ]
        )
    )
    login(page, live_server.url, "sec1", PASSWORD)
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("text=上传并预检")
    page.wait_for_selector("#import-errors")
    text = page.locator("#import-errors").inner_text()
    assert "第 2 行" in text and "第 3 行" in text and "第 4 行" in text
    assert "校验码" in text and "性别" in text and "不存在的支部" in text
    assert Person.all_objects.count() == before

    ok = tmp_path / "ok.csv"
    ok.write_bytes(_csv([_row("张三", good1), _row("李四", good2, sex="女")]))
    page.goto(f"{live_server.url}/people/import/")
    page.set_input_files("#id_file", str(ok))
    page.click("text=上传并预检")
    page.wait_for_selector("#confirm-import")
    assert Person.all_objects.count() == before
    page.click("#confirm-import")
    page.wait_for_selector("#import-done")
    assert Person.objects.filter(name__in=["张三", "李四"]).count() == 2
    assert Person.objects.get(name="李四").memberships.get().organization == world[0].branch1

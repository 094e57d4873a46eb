"""Building checkup workbooks in tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

from ..layout import template_layout

HEADERS = ["公民身份号码", "姓名", "体检日期"] + [c.header for c in template_layout().columns]


def workbook(rows: list[dict], headers: list[str] | None = None) -> bytes:
    """An .xlsx with ``headers`` (default: the template's) and one row per dict (missing keys are blank)."""
    headers = headers or HEADERS
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def full_row(person, **over) -> dict:
    row = {
        "公民身份号码": person.id_number,
        "姓名": person.name,
        "体检日期": "2026-05-10",
        "收缩压(mmHg)": 145,
        "服用降压药": "否",
        "总胆固醇(mmol/L)": 5.2,
        "高密度脂蛋白胆固醇(mmol/L)": 1.3,
        "腰围(cm)": 80,
        "目前吸烟": "否",
        "糖尿病": "否",
        "居住在北方": "是",
        "居住在城市": "是",
        "心脑血管病家族史": "是",
        "幽门螺杆菌抗体阳性": "阴性",
        "胃蛋白酶原比值": 4.2,
        "胃泌素-17(pmol/L)": 3.1,
        "粪便免疫化学检测（FIT）": "阴性",
    }
    row.update(over)
    return row

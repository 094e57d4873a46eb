"""The 介绍信 .docx: reopened with python-docx and its text checked against the record."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from dangjian.transfers import services
from dangjian.transfers.letter import build_letter

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def _page(content: bytes) -> tuple[list[int], list[int]]:
    """The page size and the margins (top, bottom, left, right) in whole millimetres."""
    (section,) = Document(io.BytesIO(content)).sections
    size = [round(x.mm) for x in (section.page_width, section.page_height)]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    return size, [round(x.mm) for x in margins]


def _sent(w, **kw):
    t = services.request_transfer(
        w.sec1, w.m1.pk, to_name="中共某大学委员会", reason="调离", requested_on=date(2026, 3, 2)
    )
    return services.send(w.sec1, t.pk, on=date(2026, 3, 2), **kw)


def test_letter_is_filled_from_the_record(world):
    t = _sent(world, dues_paid_to=date(2026, 2, 1))
    text = _text(build_letter(t))
    m1 = world.m1
    assert "中国共产党党员组织关系介绍信" in text
    assert "〔2026〕第0001号" in text
    assert "中共某大学委员会：" in text
    assert f"兹介绍张转接同志（男，40岁，汉族，公民身份号码{m1.id_number}），系中共正式党员" in text
    assert "组织关系由中共测试所党委一支部转到中共某大学委员会" in text
    assert "该同志党费已交到2026年2月。" in text
    assert "（有效期至2026年6月2日）" in text
    assert "2026年3月2日" in text
    # the receipt below carries the same number, addressed back to the committee that issued the letter
    receipt = text.split("党员组织关系介绍信回执", 1)[1]
    assert "〔2026〕第0001号" in receipt and "中共测试所党委：" in receipt
    assert "张转接同志的党员组织关系已转达我处" in receipt


def test_letter_has_the_three_parts_cut_apart_and_is_issued_by_the_committee(world):
    """存根 / 介绍信 / 回执 with one number, the number across both cut lines, sealed by the 党委 above the branch."""
    text = _text(build_letter(_sent(world)))
    stub, rest = text.split("中国共产党党员组织关系介绍信（存根）", 1)[1].split("裁 剪 线", 1)
    letter, receipt = rest.split("裁 剪 线", 1)
    assert "〔2026〕第0001号" in stub and "组织关系由中共测试所党委一支部转到中共某大学委员会" in stub
    assert "中共测试所党委（盖章）" in letter and "一支部（盖章）" not in letter.replace("测试所党委一支部", "")
    assert "党员组织关系介绍信回执" in receipt and "接收党组织（盖章）" in receipt
    assert text.count("骑缝：〔2026〕第0001号") == 2


def test_letter_is_on_a4_with_the_margins_of_gb_t_9704_and_no_page_number(world):
    content = build_letter(_sent(world))
    assert _page(content) == ([210, 297], [37, 35, 28, 26])
    (section,) = Document(io.BytesIO(content)).sections
    assert "PAGE" not in "".join(section.footer._element.itertext())  # a one-page letter (信函格式)


def test_unknown_dues_leave_a_blank_line(world):
    text = _text(build_letter(_sent(world)))
    assert "该同志党费已交到________年________月。" in text


def test_letter_download_is_audited_and_only_for_outgoing_letters(world, client):
    from dangjian.audit.models import AuditEvent

    t = _sent(world)
    client.force_login(world.sec1)
    response = client.get(f"/transfers/{t.pk}/letter.docx")
    assert response.status_code == 200
    assert "〔2026〕第0001号" in _text(response.content)
    assert AuditEvent.objects.filter(action="export", object_id=str(t.pk)).exists()
    client.force_login(world.sec2)
    assert client.get(f"/transfers/{t.pk}/letter.docx").status_code == 404
    inside = services.request_transfer(
        world.sec1, world.t.branch1.memberships.exclude(person=world.m1).first().person_id,
        to_org_id=world.t.branch2.pk, reason="调动", requested_on=date(2026, 3, 2),
    )  # fmt: skip
    client.force_login(world.sec1)
    assert client.get(f"/transfers/{inside.pk}/letter.docx").status_code == 404

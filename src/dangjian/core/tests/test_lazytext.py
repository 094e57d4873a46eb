"""The pure rule modules' messages (``core.lazytext``): Chinese as values, rendered in the language shown (issue 13).

The catalogue gains the rule msgids only when the integrator runs ``make messages``; the English renderings here
use msgids the catalogue already translates, so they test the mechanism, not a particular sentence."""

from __future__ import annotations

import pickle
import subprocess
import sys
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from dangjian.core.lazytext import N_, Message, RuleError, chinese
from dangjian.development import rules
from dangjian.development.steps import steps_in_force
from dangjian.dues import months

# msgids the English catalogue already has (core scoping, core.ruletable)
NOT_FOUND = "您访问的对象不存在，或不在您的管理范围内。"
NOT_FOUND_EN = "The item you requested does not exist or is outside your scope."
NO_RULE = "该日期（%(on)s）无已知规则：%(title)s"


def test_a_message_is_its_chinese_text():
    message = Message(N_("%(label)s应为列表"), label="入党介绍人")
    assert message == "入党介绍人应为列表"
    assert "应为列表" in message
    assert (message.msgid, dict(message.params)) == ("%(label)s应为列表", {"label": "入党介绍人"})
    assert Message(N_("按3%")) == "按3%"  # no parameters: the msgid is not %-formatted
    assert pickle.loads(pickle.dumps(message)) == message
    assert pickle.loads(pickle.dumps(message)).msgid == message.msgid


def test_chinese_interface_shows_the_chinese_text():
    with translation.override("zh-hans"):
        assert str(Message(N_(NO_RULE), on=date(1900, 1, 1), title="谈话")) == "该日期（1900-01-01）无已知规则：谈话"


def test_english_interface_renders_through_the_catalogue():
    message = Message(N_(NO_RULE), on=date(1900, 1, 1), title=N_(NOT_FOUND))
    with translation.override("en"):
        # str(), f-strings, %s and templates all render it; a Message parameter renders in the same language
        expected = f"No rule is known for this date (1900-01-01): {NOT_FOUND_EN}"
        assert str(message) == expected
        assert f"{message}（x）" == f"{expected}（x）"
        template = "%(m)s"  # how gettext sentences take it: _("…%(m)s…") % {"m": message}
        assert template % {"m": message} == expected
        assert Template("{{ m }}").render(Context({"m": N_(NOT_FOUND)})) == NOT_FOUND_EN
    assert chinese(message) == f"该日期（1900-01-01）无已知规则：{NOT_FOUND}"  # what an audit record keeps


def test_a_rule_error_shown_in_english_is_english():
    """The path a service takes: ``ValidationError(str(exc))`` from a pure rule's ``ValueError``."""
    error = RuleError(N_(NOT_FOUND))
    assert isinstance(error, ValueError)
    with translation.override("en"):
        assert ValidationError(str(error)).messages == [NOT_FOUND_EN]
    with translation.override("zh-hans"):
        assert ValidationError(str(error)).messages == [NOT_FOUND]


def test_rule_functions_raise_and_reason_with_msgids():
    with pytest.raises(RuleError) as raised:
        rules.vote_passes(5, 6, 3, on=date(2025, 1, 1))
    assert raised.value.message.msgid == "实到人数 %(present)s 不能多于应到人数 %(due)s"
    assert str(raised.value) == "实到人数 6 不能多于应到人数 5"
    check = rules.approval_in_time(date(2025, 1, 1), date(2025, 5, 1))
    assert isinstance(check.reason, Message)
    assert check.reason == "审批超期：应在 2025-04-01 前（含当日）完成，实际 2025-05-01；如属特殊情况，可不超过6个月"


def test_step_names_show_in_english_in_the_english_interface():
    """A rule module's constant (the step table) rendered by a page: its English is already in the catalogue."""
    step = steps_in_force(date(2025, 1, 1)).by_number(1)
    assert step.name == "递交入党申请书"
    page = Template(
        "{% load i18n %}{% blocktranslate with name=step.name %}{{ name }}{% endblocktranslate %}|{{ step.name }}"
    )
    with translation.override("en"):
        assert page.render(Context({"step": step})) == "Application submitted|Application submitted"
    with translation.override("zh-hans"):
        assert page.render(Context({"step": step})) == "递交入党申请书|递交入党申请书"


def test_month_labels_render_in_the_language_shown():
    label = months.label(date(2026, 3, 1))
    assert label == "2026年3月"
    assert label.msgid == "%(year)d年%(month)d月"
    with translation.override("en"):
        assert str(label) == "2026-03"


def test_rule_modules_still_import_without_django():
    code = (
        "import sys; from dangjian.development import rules; from dangjian.dues import months, rules as dues; "
        "from dangjian.core.lazytext import RuleError; "
        "assert 'django' not in sys.modules, 'django was imported'; "
        "print(str(months.label(__import__('datetime').date(2026, 3, 1))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    assert out.stdout.strip() == "2026年3月", out.stderr

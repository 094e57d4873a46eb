import io

import pytest
from django.core import mail
from django.core.management import call_command

from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_due_items_are_mailed_only_when_smtp_is_configured(settings):
    t = make_tree()
    for i in range(3):
        make_member(t.branch1, f"员{i}")
    sec = make_user("sec", "secretary", t.branch1)
    sec.email = "sec@example.cn"
    sec.save()
    settings.EMAIL_HOST = ""
    out = io.StringIO()
    call_command("notify_due", stdout=out)
    assert "未配置" in out.getvalue() and not mail.outbox
    settings.EMAIL_HOST = "smtp.example.cn"
    call_command("notify_due", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sec@example.cn"] and "组织生活待办" in message.subject
    assert "一支部" in message.body

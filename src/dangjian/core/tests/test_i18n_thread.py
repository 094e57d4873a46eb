"""A request's language ends with the request: the thread goes back to what it spoke before."""

from __future__ import annotations

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_an_english_visitor_leaves_the_thread_speaking_chinese(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert page.headers["Content-Language"] == "en"
    assert translation.get_language() == "zh-hans"
    assert translation.gettext("对象不存在") == "对象不存在"

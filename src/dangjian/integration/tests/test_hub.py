"""The section page of party work inside the business: one menu entry, each link shown to whoever may open it."""

import pytest
from django.urls import reverse

from dangjian.core.context_processors import menu_entries
from dangjian.testing import make_member, make_tree, make_user

pytestmark = pytest.mark.django_db


def test_the_menu_has_one_entry_and_the_page_lists_what_the_user_may_open(client):
    t = make_tree()
    p = make_member(t.branch1, "甲")
    member = make_user("mem", "member", t.branch1, person=p, subtree=False)
    sec = make_user("sec", "secretary", t.branch1)
    assert [e.url_name for e in menu_entries() if e.url_name.startswith(("integration:", "talent:"))] == [
        "integration:hub"
    ]
    client.force_login(sec)
    page = client.get(reverse("integration:hub")).content.decode()
    for name in ("integration:project_list", "integration:pledge_review", "talent:class_list"):
        assert f'href="{reverse(name)}"' in page
    client.force_login(member)
    page = client.get(reverse("integration:hub")).content.decode()
    assert f'href="{reverse("integration:pledge_mine")}"' in page
    assert f'href="{reverse("integration:pledge_review")}"' not in page  # a branch's act, not a member's

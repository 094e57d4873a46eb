"""Wording seen in the browser review of the demo (issue 15): filter drop-downs say 全部, not Django's dashes."""

import pytest
from django.urls import reverse

from dangjian.testing import main_content

from .business_world import make_world

pytestmark = pytest.mark.django_db


def test_the_key_task_filters_offer_all_rather_than_dashes(client):
    w = make_world()
    client.force_login(w.office)
    html = main_content(client.get(reverse("integration:project_list")).content.decode())
    assert "---------" not in html
    assert '<option value="" selected>全部</option>' in html

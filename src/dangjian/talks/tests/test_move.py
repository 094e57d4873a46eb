"""The move out of the meetings app: rows, content types and audit history written before it are found after it,
and the public addresses stay where people saved them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import resolve, reverse

from dangjian.audit.services import history_of, record, record_many, verify_chain
from dangjian.testing import login_with_second_factor, make_member, make_tree, make_user

OLD_MEETINGS = ("meetings", "0004_meeting_window_cover")
BEFORE = [OLD_MEETINGS, ("talks", None)]
MOVED = ("talk", "studyrecord", "contactpoint", "contactvisit", "hourrate")


@pytest.mark.django_db(transaction=True)
def test_rows_content_types_and_audit_history_from_the_meetings_app_are_found_after_the_move():
    t = make_tree()
    a, b = make_member(t.branch1, "甲"), make_member(t.branch1, "乙")
    try:
        _migrate_across_the_move(t, a, b)
    finally:
        call_command("migrate", verbosity=0)  # leave the schema as the other tests expect it
        ContentType.objects.clear_cache()


def _migrate_across_the_move(t, a, b):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    ContentType.objects.clear_cache()
    old_apps = executor.loader.project_state([OLD_MEETINGS]).apps
    OldTalk = old_apps.get_model("meetings", "Talk")
    talk = OldTalk.objects.create(
        organization_id=t.branch1.pk, talker_id=a.pk, talkee_id=b.pk, held_on=date(2025, 3, 1), topics="思想工作"
    )
    # a rate of its own: the seeded rates are gone when an earlier transactional test flushed the tables
    OldRate = old_apps.get_model("meetings", "HourRate")
    OldRate.objects.update_or_create(kind="lecture", defaults={"hours": Decimal("3.5")})
    rates = OldRate.objects.count()
    # the audit row the meetings app wrote for it, and the content type rows as they were then
    record_many([{"action": "create", "object_type_label": "meetings.talk", "object_id": talk.pk}])
    for model in MOVED:
        ContentType.objects.get_or_create(app_label="meetings", model=model)
    before = dict(ContentType.objects.filter(app_label="meetings", model__in=MOVED).values_list("model", "pk"))
    permissions = Permission.objects.filter(content_type_id=before["talk"]).count()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    from dangjian.talks.models import HourRate, Talk

    moved = Talk.objects.get(pk=talk.pk)
    assert (moved.talker, moved.talkee, moved.topics) == (a, b, "思想工作")
    assert HourRate.objects.count() == rates > 0 and HourRate.objects.get(kind="lecture").hours == Decimal("3.5")
    after = dict(ContentType.objects.filter(app_label="talks", model__in=MOVED).values_list("model", "pk"))
    assert after == before  # the same rows, renamed: what points at them still does
    assert not ContentType.objects.filter(app_label="meetings", model__in=MOVED).exists()
    assert ContentType.objects.get_for_model(Talk).pk == before["talk"]
    assert Permission.objects.filter(content_type_id=before["talk"]).count() == permissions
    # the old row is never rewritten (its digest covers the label); the history reads both labels
    record("update", moved, before={"topics": "思想工作"}, after={"topics": "思想工作"})
    assert [e.object_type for e in history_of(moved)] == ["talks.talk", "meetings.talk"]
    assert verify_chain() == (True, None)


@pytest.mark.django_db
def test_the_audit_log_filter_finds_a_moved_models_rows_under_either_label(client):
    t = make_tree()
    record_many(
        [
            {"action": "create", "object_type_label": "meetings.talk", "object_id": 7, "object_repr": "旧标签"},
            {"action": "create", "object_type_label": "talks.talk", "object_id": 8, "object_repr": "新标签"},
            {"action": "create", "object_type_label": "meetings.meeting", "object_id": 7, "object_repr": "会议"},
        ]
    )
    auditor = make_user("auditor", "auditor", t.root)
    login_with_second_factor(client, auditor)
    for label in ("talks.talk", "meetings.talk"):
        shown = {e.object_repr for e in client.get(reverse("audit:log"), {"object_type": label}).context["page"]}
        assert shown == {"旧标签", "新标签"}
    shown = {
        e.object_repr for e in client.get(reverse("audit:log"), {"object_type": "meetings.meeting"}).context["page"]
    }
    assert shown == {"会议"}


PUBLIC = {
    "/life/hours/": ("life:hours", (), "dangjian.talks.views.hours.hours"),
    "/life/hours/study/new/": ("life:study_create", (), "dangjian.talks.views.hours.study_create"),
    "/life/hours/rates/": ("life:hour_rates", (), "dangjian.talks.views.hours.hour_rates"),
    "/life/talks/": ("life:talks", (), "dangjian.talks.views.talks.talks"),
    "/life/talks/new/": ("life:talk_create", (), "dangjian.talks.views.talks.talk_create"),
    "/life/contact-points/": ("life:contact_points", (), "dangjian.talks.views.contact_points.contact_points"),
    "/life/contact-points/new/": (
        "life:contact_point_create",
        (),
        "dangjian.talks.views.contact_points.contact_point_create",
    ),
    "/life/contact-points/3/visits/new/": (
        "life:visit_create",
        (3,),
        "dangjian.talks.views.contact_points.visit_create",
    ),
}


@pytest.mark.parametrize("path", PUBLIC)
def test_the_old_addresses_and_names_lead_to_the_talks_views(path):
    name, args, view = PUBLIC[path]
    assert reverse(name, args=args) == path
    match = resolve(path)
    assert f"{match.func.__module__}.{match.func.__name__}" == view
    assert match.namespace == "life"

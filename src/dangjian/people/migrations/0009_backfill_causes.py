"""Backfill the coded causes of memberships written before they existed (0008): ``end_cause`` from the words in
``end_reason`` and from what followed, ``start_cause`` from what preceded. Only blank causes are filled; a row whose
words say nothing known stays blank and the data-quality page (资料完整性) lists it."""

from django.db import migrations

BATCH = 2000


def end_cause(reason: str, followed_same_day: bool) -> str:
    if reason.startswith("人员删除"):
        return "error"
    if "停止党籍" in reason:
        return "suspended"
    if "除名" in reason:
        return "removed"
    if followed_same_day or any(w in reason for w in ("调整", "调至", "转接")):
        return "moved"  # a new membership in the tree the same day: a move, whatever the words
    if "转出" in reason or "转至" in reason:
        return "transferred_out"
    return ""


def start_cause(previous_end: str | None, same_day: bool) -> str:
    if previous_end == "moved" and same_day:
        return "moved"
    if previous_end == "suspended":
        return "restored"  # only a restore decision (恢复党籍) reopens a membership the stop ended
    return "recorded"


def backfill(apps, schema_editor):
    Membership = apps.get_model("people", "Membership")
    rows = list(
        Membership.objects.order_by("person_id", "started_on", "id").values_list(
            "id", "person_id", "started_on", "ended_on", "end_reason", "start_cause", "end_cause", "deleted_at"
        )
    )
    starts: dict[tuple[int, object], int] = {}
    for pk, person, started, _ended, _reason, _sc, _ec, deleted in rows:
        if deleted is None:
            starts[(person, started)] = pk
    ends: dict[int, str] = {}
    changes: dict[int, dict[str, str]] = {}
    for pk, person, _started, ended, reason, _sc, cause, deleted in rows:
        if ended is None:
            continue
        followed = starts.get((person, ended)) not in (None, pk)
        code = cause or end_cause(reason or "", followed)
        if code and deleted is None:
            ends[pk] = code
        if code and not cause:
            changes.setdefault(pk, {})["end_cause"] = code
    previous: dict[int, tuple[object, int]] = {}  # person → (ended_on, pk) of the latest ended row so far
    for pk, person, started, ended, _reason, cause, _ec, deleted in rows:
        before = previous.get(person)
        if not cause:
            prior = ends.get(before[1]) if before else None
            changes.setdefault(pk, {})["start_cause"] = start_cause(prior, before is not None and before[0] == started)
        if ended is not None and deleted is None:
            previous[person] = (ended, pk)
    objs = []
    for pk, fields in changes.items():
        m = Membership(pk=pk)
        for name, value in fields.items():
            setattr(m, name, value)
        objs.append((m, tuple(sorted(fields))))
    for names in {n for _, n in objs}:
        batch = [m for m, n in objs if n == names]
        Membership.objects.bulk_update(batch, list(names), batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("people", "0008_statistics_fields")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

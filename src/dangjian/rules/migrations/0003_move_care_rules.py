"""The care list's terms move into the one rule store: each line's deadline, use, source and confidence become
version 1 of ``care.rule.<trigger>.<kind>.<responsible>``; the line itself (what obligations point at) stays.

Version 1 takes effect from 2000-01-01, the first day an event may be recorded, so every event already recorded is
judged by the terms it was judged by (the lines carried no dates before). ``origin`` names the line, so the audit
entries written about it before the move (object type care.carerule) stay findable; the author is the last one
who edited the line, when the audit log names one. The columns are dropped by care 0005, after this.
"""

from datetime import date

from django.db import migrations

FROM = date(2000, 1, 1)
LOCAL_CITATION = "本单位设置"  # copied: the migration does not change with the code


def key_of(line) -> str:
    return f"care.rule.{line.trigger}.{line.kind}.{line.responsible}"


def move(apps, schema_editor):
    CareRule = apps.get_model("care", "CareRule")
    Version = apps.get_model("rules", "RuleVersion")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for line in CareRule.objects.order_by("id"):
        last_edit = (
            AuditEvent.objects.filter(object_type="care.carerule", object_id=str(line.pk), actor__isnull=False)
            .order_by("-at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        new = Version.objects.create(
            key=key_of(line),
            version=1,
            value={"deadline_days": line.deadline_days, "active": line.active},
            citation=line.source or LOCAL_CITATION,
            confidence=line.confidence,
            effective_from=FROM,
            created_by_id=last_edit,
            origin=f"care.carerule:{line.pk}",
        )
        # the version was set when the line was last saved: keep its timestamps, not the migration's
        Version.objects.filter(pk=new.pk).update(created_at=line.created_at, updated_at=line.updated_at)


def move_back(apps, schema_editor):
    """Back to columns: each line takes the terms of its latest version (earlier versions have nowhere to go)."""
    CareRule = apps.get_model("care", "CareRule")
    Version = apps.get_model("rules", "RuleVersion")
    for line in CareRule.objects.all():
        latest = Version.objects.filter(key=key_of(line), organization__isnull=True).order_by("-version").first()
        if latest is None:
            continue
        line.deadline_days = latest.value.get("deadline_days", 0)
        line.active = bool(latest.value.get("active"))
        line.source = "" if latest.citation == LOCAL_CITATION else latest.citation
        line.confidence = latest.confidence
        line.save(update_fields=["deadline_days", "active", "source", "confidence"])
    moved = Version.objects.filter(key__startswith="care.rule.")
    moved.update(supersedes=None)
    moved.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0002_move_compliance_settings"),
        ("care", "0004_rule_confidence_once"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(move, move_back)]

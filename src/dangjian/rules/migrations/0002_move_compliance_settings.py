"""The compliance checker's settings move into the one rule store, every version with its dates and author.

Version n of ``minutes_days`` becomes version n of ``compliance.minutes_days``; ``supersedes`` links are kept and
``origin`` names the old row, so the audit entries written about it (object type compliance.compliancesetting)
stay findable. The old table is dropped by compliance 0003, after this.
"""

from django.db import migrations

KEYS = {
    "minutes_days": "compliance.minutes_days",
    "due_soon_days": "compliance.due_soon_days",
    "late_window_days": "compliance.late_window_days",
}


def move(apps, schema_editor):
    Setting = apps.get_model("compliance", "ComplianceSetting")
    Version = apps.get_model("rules", "RuleVersion")
    new_of: dict[int, object] = {}
    for old in Setting.objects.order_by("key", "version"):
        new = Version.objects.create(
            key=KEYS[old.key],
            version=old.version,
            value=old.value,
            citation=old.citation,
            confidence=old.confidence,
            note=old.note,
            effective_from=old.effective_from,
            effective_to=old.effective_to,
            supersedes=new_of.get(old.supersedes_id),
            created_by_id=old.created_by_id,
            origin=f"compliance.compliancesetting:{old.pk}",
        )
        # keep the original timestamps: auto_now_add set them to now
        Version.objects.filter(pk=new.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        new_of[old.pk] = new


def move_back(apps, schema_editor):
    Setting = apps.get_model("compliance", "ComplianceSetting")
    Version = apps.get_model("rules", "RuleVersion")
    names = {v: k for k, v in KEYS.items()}
    old_of: dict[int, object] = {}
    for new in Version.objects.filter(key__in=names, organization__isnull=True).order_by("key", "version"):
        old = Setting.objects.create(
            key=names[new.key],
            version=new.version,
            value=new.value,
            citation=new.citation,
            confidence=new.confidence,
            note=new.note,
            effective_from=new.effective_from,
            effective_to=new.effective_to,
            supersedes=old_of.get(new.supersedes_id),
            created_by_id=new.created_by_id,
        )
        old_of[new.pk] = old
    Version.objects.filter(key__in=names).update(supersedes=None)
    Version.objects.filter(key__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial"), ("compliance", "0002_seed_rules")]

    operations = [migrations.RunPython(move, move_back)]

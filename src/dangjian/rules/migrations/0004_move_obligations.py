"""The compliance obligations move into the one rule store, every version with its dates, author and chain.

Version n of obligation ``<code>`` becomes version n of ``compliance.obligation.<code>``: the value holds what the
engine reads (title, organisation kind, condition, meeting kind, period, count, whether party groups' meetings
count, whether it is switched on); citation, confidence and note are the version's own columns. ``supersedes``
links and timestamps are kept, and ``origin`` names the old row, so the audit entries written about it (object
type compliance.obligationrule) and links that carry its id stay findable. The old table goes in compliance 0004.
"""

from django.db import migrations

PREFIX = "compliance.obligation."
ORIGIN = "compliance.obligationrule:"
FIELDS = (
    "title",
    "org_kind",
    "condition",
    "meeting_kind",
    "period",
    "required_count",
    "counts_group_meetings",
    "active",
)


def move(apps, schema_editor):
    Rule = apps.get_model("compliance", "ObligationRule")
    Version = apps.get_model("rules", "RuleVersion")
    new_of: dict[int, object] = {}
    # by version, so a version's predecessor is always copied before it
    for old in Rule.objects.order_by("code", "version"):
        new = Version.objects.create(
            key=PREFIX + old.code,
            version=old.version,
            value={f: getattr(old, f) for f in FIELDS},
            citation=old.citation,
            confidence=old.confidence,
            note=old.note,
            effective_from=old.effective_from,
            effective_to=old.effective_to,
            supersedes=new_of.get(old.supersedes_id),
            created_by_id=old.created_by_id,
            origin=f"{ORIGIN}{old.pk}",
        )
        Version.objects.filter(pk=new.pk).update(created_at=old.created_at, updated_at=old.updated_at)
        new_of[old.pk] = new


def move_back(apps, schema_editor):
    Rule = apps.get_model("compliance", "ObligationRule")
    Version = apps.get_model("rules", "RuleVersion")
    moved = Version.objects.filter(key__startswith=PREFIX, organization__isnull=True)
    # The store is the truth since the move: rows still in the old table (it stays until compliance 0004) go first.
    Rule.objects.update(supersedes=None)
    Rule.objects.all().delete()
    old_of: dict[int, object] = {}
    for new in moved.order_by("key", "version"):
        value = new.value
        old = Rule.objects.create(
            code=new.key[len(PREFIX) :],
            version=new.version,
            citation=new.citation,
            confidence=new.confidence,
            is_local=new.confidence not in ("P", "Q"),
            note=new.note,
            effective_from=new.effective_from,
            effective_to=new.effective_to,
            supersedes=old_of.get(new.supersedes_id),
            created_by_id=new.created_by_id,
            **{f: value[f] for f in FIELDS},
        )
        old_of[new.pk] = old
    Version.objects.filter(key__startswith=PREFIX).update(supersedes=None)
    Version.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0003_move_care_rules"),
        ("compliance", "0003_settings_in_rule_store"),
    ]

    operations = [migrations.RunPython(move, move_back)]

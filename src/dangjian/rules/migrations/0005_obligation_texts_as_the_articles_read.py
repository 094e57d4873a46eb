"""Two shipped obligations get the articles' words in databases that still hold the old ones.

The obligations' version 1 is seeded from ``compliance/rule_data.py`` (compliance 0002) and lives in the store since
rules 0004, so correcting the code corrects new databases only. Two texts were wrong:

* the members' meeting's note said the meeting needs more than half of those due present ("有表决权的到会人数须超过
  应到会人数的半数，会议方可召开"); 支部工作条例 art. 11 says "表决必须有半数以上有表决权的党员到会方可进行，赞成人数超过
  应到会有表决权的党员的半数为通过" (at least half, and for a vote, not for the meeting);
* the branch lecture's citation said the article requires 党支部书记 to give a lecture a year; it says "党员领导干部应当
  定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课".

Where the institute-wide version in force still carries an old text word for word, a new version carries the new one
from the day of the migration (terms, confidence and dates otherwise the same); the old version is only closed that
day, as every revision closes it, so what the pages showed before stays as it was. A version the office wrote itself
(another citation or note) is left alone. Nothing is done in a database seeded after the correction. The texts are
copied here: the migration does not change with the code.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

CORRECTIONS = {
    "compliance.obligation.branch.members_meeting": {
        "note": (
            "支部党员大会一般每季度召开1次；有表决权的到会人数须超过应到会人数的半数，会议方可召开。",
            "支部党员大会一般每季度召开1次；表决必须有半数以上有表决权的党员到会方可进行，"
            "赞成人数超过应到会有表决权的党员的半数为通过。",
        ),
    },
    "compliance.obligation.branch.lecture": {
        "citation": (
            "本单位规定（支部工作条例要求党支部书记每年至少讲1次党课）",
            "本单位规定（支部工作条例：党员领导干部应当定期为基层党员讲党课，党委（党组）书记每年至少讲1次党课）",
        ),
        "note": (
            "按季度上党课是本单位设置（常见做法，默认启用），可由党委办公室停用或修改。",
            "按季度上党课是本单位设置（常见做法，默认启用），可由党委办公室停用或修改。"
            "条例未规定党支部上党课的次数；每年至少讲1次党课的是党委（党组）书记。",
        ),
    },
}


def correct(apps, schema_editor):
    Version = apps.get_model("rules", "RuleVersion")
    today = timezone.localdate()
    for key, fields in CORRECTIONS.items():
        latest = Version.objects.filter(key=key, organization__isnull=True).order_by("-version").first()
        if latest is None or not any(getattr(latest, f) == old for f, (old, _new) in fields.items()):
            continue
        start = max(today, latest.effective_from + timedelta(days=1))
        if latest.effective_to is not None and latest.effective_to <= start:
            continue  # the obligation has ended (or ends before a new version could start): history stays as it was
        texts = {f: (new if getattr(latest, f) == old else getattr(latest, f)) for f, (old, new) in fields.items()}
        Version.objects.create(
            key=key,
            version=latest.version + 1,
            value=latest.value,
            citation=texts.get("citation", latest.citation),
            confidence=latest.confidence,
            note=texts.get("note", latest.note),
            effective_from=start,
            effective_to=latest.effective_to,
            supersedes=latest,
        )
        Version.objects.filter(pk=latest.pk).update(effective_to=start)


def _added_here(previous, added, fields) -> bool:
    """``added`` is what ``correct`` made of ``previous``: each old text replaced, everything else copied."""
    if (added.value, added.confidence) != (previous.value, previous.confidence):
        return False
    if not any(getattr(previous, f) == old for f, (old, _new) in fields.items()):
        return False
    return all(
        getattr(added, f) == (new if getattr(previous, f) == old else getattr(previous, f))
        for f, (old, new) in fields.items()
    )


def uncorrect(apps, schema_editor):
    """Back: the versions added here go, and the versions they closed are open (or end) again as before."""
    Version = apps.get_model("rules", "RuleVersion")
    for key, fields in CORRECTIONS.items():
        added = (
            Version.objects.filter(key=key, organization__isnull=True, created_by__isnull=True, supersedes__isnull=False)
            .order_by("-version")
            .first()
        )
        previous = added.supersedes if added is not None else None
        if previous is None or not _added_here(previous, added, fields):
            continue
        Version.objects.filter(pk=previous.pk).update(effective_to=added.effective_to)
        added.delete()


class Migration(migrations.Migration):
    dependencies = [("rules", "0004_move_obligations")]

    operations = [migrations.RunPython(correct, uncorrect)]

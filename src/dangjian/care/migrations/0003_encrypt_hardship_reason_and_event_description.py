"""Hardship reasons and care event descriptions encrypted at rest (PIPL art. 28, 51): the existing texts are
encrypted under the current field key (see ``dangjian.crypto``); reversing decrypts them back to plain text."""

from django.db import migrations, models

import dangjian.crypto.fields

BATCH = 500
COLUMNS = (
    ("HardshipEntry", "reason", "care.hardshipentry.reason"),
    ("CareEvent", "description", "care.careevent.description"),
)


def _copy(apps, source: str, target: str, model_name: str) -> None:
    Model = apps.get_model("care", model_name)
    rows = Model._base_manager.order_by("pk").only("pk", source)  # withdrawn rows too
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        setattr(row, target, getattr(row, source))
        batch.append(row)
        if len(batch) == BATCH:
            Model._base_manager.bulk_update(batch, [target])
            batch = []
    if batch:
        Model._base_manager.bulk_update(batch, [target])


def encrypt(apps, schema_editor):
    for model_name, field, _context in COLUMNS:
        _copy(apps, field, f"{field}_sealed", model_name)


def decrypt(apps, schema_editor):
    for model_name, field, _context in COLUMNS:
        _copy(apps, f"{field}_sealed", field, model_name)


class Migration(migrations.Migration):
    dependencies = [("care", "0002_default_rules")]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name.lower(),
                name=f"{field}_sealed",
                field=dangjian.crypto.fields.SealedTextField(null=True, context=context),
            )
            for model_name, field, context in COLUMNS
        ),
        migrations.RunPython(encrypt, decrypt),
        # A default only so that reversing can add the plain column back to existing rows before filling it.
        migrations.AlterField(model_name="hardshipentry", name="reason", field=models.TextField(default="")),
        migrations.RemoveField(model_name="hardshipentry", name="reason"),
        migrations.RemoveField(model_name="careevent", name="description"),
        migrations.RenameField(model_name="hardshipentry", old_name="reason_sealed", new_name="reason"),
        migrations.RenameField(model_name="careevent", old_name="description_sealed", new_name="description"),
        migrations.AlterField(
            model_name="hardshipentry",
            name="reason",
            field=dangjian.crypto.fields.SealedTextField(context="care.hardshipentry.reason", verbose_name="困难情况"),
        ),
        migrations.AlterField(
            model_name="careevent",
            name="description",
            field=dangjian.crypto.fields.SealedTextField(
                blank=True, context="care.careevent.description", verbose_name="情况说明"
            ),
        ),
    ]

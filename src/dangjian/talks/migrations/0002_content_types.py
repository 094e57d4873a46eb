# The moved models' content types follow them (meetings.talk → talks.talk, ...), so the permissions and anything
# else keyed by content type keep their rows. The audit log cannot be rewritten (each row is chained by a keyed
# hash over its object type); the models name their former labels instead (``audit_former_labels``), which the
# audit log's lookups read.

from django.db import migrations

MOVED = ("talk", "studyrecord", "contactpoint", "contactvisit", "hourrate")


def rename(apps, schema_editor, source="meetings", target="talks"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        if ContentType.objects.using(db).filter(app_label=target, model=model).exists():
            continue  # already created for the new label (a database migrated before this step was written)
        ContentType.objects.using(db).filter(app_label=source, model=model).update(app_label=target)
    ContentType.objects.clear_cache()


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, source="talks", target="meetings")


class Migration(migrations.Migration):
    dependencies = [("talks", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(rename, rename_back)]

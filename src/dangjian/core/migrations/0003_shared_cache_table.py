"""The table of the ``shared`` cache (settings.CACHES), so that ``migrate`` is all a new installation runs: Django's
``createcachetable`` makes the table of every database cache the settings name, and nothing when there is none."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_document_numbers_from_issued")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]

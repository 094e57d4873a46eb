"""The counters start past every number already issued: for each organisation and year, the highest sequence of
its 请示报告 (submissions) and of its printed admission 请示 (development), so that the next document of either kind
takes a number neither has used."""

from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    DocumentNumber = apps.get_model("core", "DocumentNumber")
    Submission = apps.get_model("submissions", "Submission")
    Development = apps.get_model("development", "Development")
    highest: dict[tuple[int, int], int] = {}
    issued = [
        Submission.objects.filter(seq__isnull=False).values_list("organization_id", "year").annotate(n=Max("seq")),
        Development.objects.filter(request_seq__isnull=False)
        .values_list("branch_id", "request_year")
        .annotate(n=Max("request_seq")),
    ]
    for rows in issued:
        for org_id, year, n in rows.order_by():
            highest[(org_id, year)] = max(highest.get((org_id, year), 0), n)
    for (org_id, year), n in sorted(highest.items()):
        counter, _created = DocumentNumber.objects.get_or_create(organization_id=org_id, year=year)
        if counter.last < n:
            counter.last = n
            counter.save(update_fields=["last"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_document_number"),
        ("submissions", "0001_initial"),
        ("development", "0006_development_request_number"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""停止党籍 ends the membership (党员教育管理工作条例（2019）第24条: the member is off the branch's rolls from the
decision day). Cases decided before this rule kept the membership open and were judged by the lost-contact rows:
end those memberships on the decision day; where a restore decision followed, the member was back on the rolls
from it, so the one open membership becomes two (stopped, then restored). Removed cases already ended theirs."""

from django.db import migrations

# copied, so this migration does not change with the code (people.models.membership.RIGHTS_STOPPED_REASON)
REASON = "停止党籍（失联）"


def end_stopped_memberships(apps, schema_editor):
    LostContact = apps.get_model("transfers", "LostContact")
    Decision = apps.get_model("transfers", "Decision")
    Membership = apps.get_model("people", "Membership")
    cases = LostContact.objects.filter(status__in=["suspended", "closed"], suspended_on__isnull=False)
    for case in cases.order_by("pk"):
        current = (
            Membership.objects.filter(person_id=case.person_id, ended_on__isnull=True, deleted_at__isnull=True)
            .filter(started_on__lte=case.suspended_on)
            .first()
        )
        if current is None:
            continue
        restore = None
        if case.status == "closed":
            restore = (
                Decision.objects.filter(case=case, kind="restore", decided_on__gte=case.suspended_on)
                .order_by("decided_on")
                .first()
            )
            if restore is None:
                continue  # closed without a restore decision after the stop: nothing was stopped
        current.ended_on, current.end_reason = case.suspended_on, REASON
        current.save(update_fields=["ended_on", "end_reason", "updated_at"])
        if restore is not None:
            Membership.objects.create(
                person_id=case.person_id,
                organization_id=current.organization_id,
                group_id=current.group_id,
                status=current.status,
                applied_on=current.applied_on,
                admitted_on=current.admitted_on,
                converted_on=current.converted_on,
                discipline_probation_from=current.discipline_probation_from,
                discipline_probation_until=current.discipline_probation_until,
                started_on=restore.decided_on,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0001_initial"),
        ("people", "0005_person_live_status"),
    ]

    operations = [
        migrations.RunPython(end_stopped_memberships, migrations.RunPython.noop),
    ]

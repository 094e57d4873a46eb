# Talks, study records, contact points, visits and hour rates now belong to the talks app (talks 0001): they
# leave the meetings state only; their tables stay as they are, with their rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0004_meeting_window_cover'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='contactpoint',
                    name='deleted_by',
                ),
                migrations.RemoveField(
                    model_name='contactpoint',
                    name='leader',
                ),
                migrations.RemoveField(
                    model_name='contactpoint',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='contactvisit',
                    name='contact_point',
                ),
                migrations.RemoveField(
                    model_name='contactvisit',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='HourRate',
                ),
                migrations.RemoveField(
                    model_name='studyrecord',
                    name='deleted_by',
                ),
                migrations.RemoveField(
                    model_name='studyrecord',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='talk',
                    name='deleted_by',
                ),
                migrations.RemoveField(
                    model_name='talk',
                    name='organization',
                ),
                migrations.RemoveField(
                    model_name='talk',
                    name='talkee',
                ),
                migrations.RemoveField(
                    model_name='talk',
                    name='talker',
                ),
                migrations.DeleteModel(
                    name='ContactPoint',
                ),
                migrations.DeleteModel(
                    name='ContactVisit',
                ),
                migrations.DeleteModel(
                    name='StudyRecord',
                ),
                migrations.DeleteModel(
                    name='Talk',
                ),
            ],
        ),
    ]

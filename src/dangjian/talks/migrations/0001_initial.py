# Talks, study records, contact points, visits and hour rates move from the meetings app to this one without
# touching the database: their tables keep their names (db_table), meetings 0005 drops them from the meetings
# state and this migration adds them to the talks state. Nothing is copied, so no row can be lost; 0002 renames
# the content types.

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('meetings', '0005_talks_move_to_their_app'),
        ('orgs', '0002_initial'),
        ('people', '0004_importjob_job'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='HourRate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('kind', models.CharField(choices=[('members_meeting', '支部党员大会'), ('committee_meeting', '支委会'), ('group_meeting', '党小组会'), ('lecture', '党课'), ('theme_day', '主题党日'), ('life_meeting', '组织生活会'), ('central_group_study', '理论学习中心组学习'), ('other', '其他')], max_length=30, unique=True, verbose_name='会议类型')),
                        ('hours', models.DecimalField(decimal_places=1, default=Decimal('2.0'), max_digits=4, verbose_name='学时')),
                    ],
                    options={
                        'verbose_name': '学时标准',
                        'verbose_name_plural': '学时标准',
                        'db_table': 'meetings_hourrate',
                        'ordering': ['kind'],
                    },
                ),
                migrations.CreateModel(
                    name='ContactPoint',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('since', models.DateField(verbose_name='起始日期')),
                        ('until', models.DateField(blank=True, null=True, verbose_name='结束日期')),
                        ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('leader', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contact_points', to='people.person', verbose_name='领导')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contact_points', to='orgs.organization', verbose_name='联系党支部')),
                    ],
                    options={
                        'verbose_name': '党建联系点',
                        'verbose_name_plural': '党建联系点',
                        'db_table': 'meetings_contactpoint',
                        'ordering': ['leader__name', '-since'],
                    },
                ),
                migrations.CreateModel(
                    name='ContactVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('visited_on', models.DateField(verbose_name='调研日期')),
                        ('summary', models.TextField(verbose_name='调研情况')),
                        ('issues', models.TextField(blank=True, verbose_name='发现的问题与建议')),
                        ('contact_point', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='talks.contactpoint')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': '联系点调研',
                        'verbose_name_plural': '联系点调研',
                        'db_table': 'meetings_contactvisit',
                        'ordering': ['-visited_on'],
                    },
                ),
                migrations.CreateModel(
                    name='StudyRecord',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('studied_on', models.DateField(verbose_name='学习日期')),
                        ('title', models.CharField(max_length=200, verbose_name='学习内容')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='学时')),
                        ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='study_records', to='people.person')),
                    ],
                    options={
                        'verbose_name': '学习记录',
                        'verbose_name_plural': '学习记录',
                        'db_table': 'meetings_studyrecord',
                        'ordering': ['-studied_on'],
                        'indexes': [models.Index(fields=['person', 'studied_on'], name='meetings_st_person__a6a2b9_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Talk',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                        ('deleted_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='删除时间')),
                        ('held_on', models.DateField(verbose_name='谈话日期')),
                        ('topics', models.TextField(verbose_name='谈话内容')),
                        ('follow_up', models.TextField(blank=True, verbose_name='后续跟进')),
                        ('follow_up_due', models.DateField(blank=True, null=True, verbose_name='跟进期限')),
                        ('deleted_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talks', to='orgs.organization', verbose_name='党支部')),
                        ('talkee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talks_received', to='people.person', verbose_name='谈话对象')),
                        ('talker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='talks_given', to='people.person', verbose_name='谈话人')),
                    ],
                    options={
                        'verbose_name': '谈心谈话',
                        'verbose_name_plural': '谈心谈话',
                        'db_table': 'meetings_talk',
                        'ordering': ['-held_on', '-id'],
                        'indexes': [models.Index(fields=['organization', 'held_on'], name='meetings_ta_organiz_ab6c7a_idx'), models.Index(fields=['talkee', 'held_on'], name='meetings_ta_talkee__0dc512_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('talker', models.F('talkee')), _negated=True), name='talk_between_two')],
                    },
                ),
            ],
        ),
    ]

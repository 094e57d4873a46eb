"""Committee terms say whether the branch elected a committee or only a secretary (机关基层组织工作条例 2019 第7条:
"党员人数不足7人的，不设支部委员会，设书记1名，必要时可以设副书记1名").

Existing terms are read from their posts: a term whose posts are only 书记 and 副书记, held by fewer than 3 people, is
a secretary-only term; any other post (组织委员, 宣传委员, ...) or 3 or more people make a committee (支部委员会由3至5人
组成). A term recorded without posts keeps the old reading (a committee), since nothing says otherwise.
"""

from django.db import migrations, models

SECRETARY_POSTS = ("secretary", "deputy_secretary")


def from_posts(apps, schema_editor):
    Term = apps.get_model("orgs", "CommitteeTerm")
    Post = apps.get_model("orgs", "CommitteePost")
    people: dict[int, set] = {}
    others: set[int] = set()
    for term_id, person_id, post in Post.objects.values_list("term_id", "person_id", "post"):
        people.setdefault(term_id, set()).add(person_id)
        if post not in SECRETARY_POSTS:
            others.add(term_id)
    secretary_only = [t for t, persons in people.items() if t not in others and len(persons) < 3]
    Term.objects.filter(pk__in=secretary_only).update(has_committee=False)


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="committeeterm",
            name="has_committee",
            field=models.BooleanField(
                default=True, help_text="不设支部委员会、只设书记（副书记）的党支部不勾选", verbose_name="设支部委员会"
            ),
        ),
        migrations.RunPython(from_posts, migrations.RunPython.noop),
    ]

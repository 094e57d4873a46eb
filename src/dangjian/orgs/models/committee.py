from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    ORGANIZER = "organizer", _("组织委员")
    PUBLICITY = "publicity", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    YOUTH = "youth", _("青年委员")
    WOMEN = "women", _("妇女委员")
    MEMBER = "member", _("委员")


# The posts a branch without a committee has: "设书记1名，必要时可以设副书记1名" (机关基层组织工作条例 2019 第7条).
SECRETARY_POSTS = frozenset({Post.SECRETARY.value, Post.DEPUTY_SECRETARY.value})
# "支部委员会由3至5人组成" (same article): three people make a committee even without a named committee post.
COMMITTEE_MIN_PEOPLE = 3


def forms_committee(posts: list[tuple[int, str]]) -> bool:
    """Whether the (person, post) pairs of a term are a committee rather than a secretary (and deputy) alone."""
    people = {person for person, _post in posts}
    return any(post not in SECRETARY_POSTS for _p, post in posts) or len(people) >= COMMITTEE_MIN_PEOPLE


class CommitteeTerm(TimestampedModel):
    """One elected term of an organisation's committee (支委会/总支委员会/党委).

    ``ends_on`` is fixed when the term is recorded, from the term rule in force
    on the election date (关于党的基层组织任期的意见, 2018).

    ``has_committee`` tells an elected committee (支部委员会) from a branch that elects only a secretary: "党员人数
    不足7人的，不设支部委员会，设书记1名，必要时可以设副书记1名" (党和国家机关基层组织工作条例 2019 第7条; 支部工作
    条例 2018 第4条 the same). Such a term still runs its years (the secretary is elected for the term), but the
    branch owes no 支委会 (the compliance condition ``has_committee`` reads this field, not the term's existence).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="terms", verbose_name="党组织"
    )
    elected_on = models.DateField("选举日期")
    ends_on = models.DateField("届满日期")
    note = models.CharField("备注", max_length=200, blank=True)
    has_committee = models.BooleanField(
        _("设支部委员会"), default=True, help_text=_("不设支部委员会、只设书记（副书记）的党支部不勾选")
    )

    class Meta:
        verbose_name = "委员会届次"
        verbose_name_plural = "委员会届次"
        ordering = ["-elected_on"]
        indexes = [models.Index(fields=["organization", "-elected_on"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.elected_on:%Y}—{self.ends_on:%Y}"

    def days_until_due(self, today: date | None = None) -> int:
        return (self.ends_on - (today or timezone.localdate())).days


class CommitteePost(TimestampedModel):
    term = models.ForeignKey(CommitteeTerm, on_delete=models.PROTECT, related_name="posts", verbose_name="届次")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="committee_posts")
    post = models.CharField("职务", max_length=20, choices=Post.choices)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "委员职务"
        verbose_name_plural = "委员职务"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "person", "post"], name="uniq_term_person_post")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_post_display()}"

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


class CommitteeTerm(TimestampedModel):
    """One elected term of an organisation's committee (支委会/总支委员会/党委).

    ``ends_on`` is fixed when the term is recorded, from the term rule in force
    on the election date (关于党的基层组织任期的意见, 2018).
    """

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="terms", verbose_name="党组织"
    )
    elected_on = models.DateField("选举日期")
    ends_on = models.DateField("届满日期")
    note = models.CharField("备注", max_length=200, blank=True)

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

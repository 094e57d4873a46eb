"""储备优秀党支部书记, 导师带徒 and 青马班: who is trained, by whom, and with what result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import ScopedBy, ScopedQuerySet
from dangjian.core.models import AliveManager, SoftDeleteModel, SoftDeleteQuerySet, TimestampedModel

VIEW = "integration.view"


class TalentQuerySet(ScopedQuerySet, SoftDeleteQuerySet):
    """Scoped by each model's ``scoped_by`` declaration; deleted rows left out by the manager."""


class ReserveStatus(models.TextChoices):
    CANDIDATE = "candidate", _("培养中")
    READY = "ready", _("可任用")
    APPOINTED = "appointed", _("已任用")
    REMOVED = "removed", _("已退出")


class SecretaryReserve(SoftDeleteModel):
    """A member in the reserve of branch secretaries, nominated by an organisation, trained and assessed until
    ready for a branch's next term."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="secretary_reserve", verbose_name=_("推荐党组织")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="secretary_reserve", verbose_name=_("储备人选")
    )
    nominated_on = models.DateField(_("推荐日期"))
    criteria = models.TextField(_("推荐理由"))
    target = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserve_targets",
        verbose_name=_("拟任党支部"),
    )
    status = models.CharField(_("状态"), max_length=20, choices=ReserveStatus.choices, default=ReserveStatus.CANDIDATE)
    status_on = models.DateField(_("状态日期"), null=True, blank=True)
    status_note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(TalentQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="person")

    class Meta:
        verbose_name = _("党支部书记储备人选")
        verbose_name_plural = _("党支部书记储备人选")
        ordering = ["-nominated_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(deleted_at__isnull=True, status__in=["candidate", "ready"]),
                name="talent_reserve_once",
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class ReserveRecordKind(models.TextChoices):
    TRAINING = "training", _("培训")
    PRACTICE = "practice", _("实践锻炼")
    ASSESSMENT = "assessment", _("考察")


class ReserveRating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("合格")
    NOT_YET = "not_yet", _("不合格")


class ReserveRecord(TimestampedModel):
    """A training, a practice post or an assessment of a reserve candidate."""

    reserve = models.ForeignKey(
        SecretaryReserve, on_delete=models.PROTECT, related_name="records", verbose_name=_("储备人选")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=ReserveRecordKind.choices)
    held_on = models.DateField(_("日期"))
    title = models.CharField(_("内容"), max_length=200)
    rating = models.CharField(_("考察结果"), max_length=20, choices=ReserveRating.choices, blank=True)
    note = models.TextField(_("情况说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("培养考察记录")
        verbose_name_plural = _("培养考察记录")
        ordering = ["reserve", "-held_on", "pk"]


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("带教中")
    COMPLETED = "completed", _("已出师")
    ENDED = "ended", _("已终止")


class Mentorship(SoftDeleteModel):
    """导师带徒: a mentor and an apprentice with goals, periodic reviews and an outcome."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="mentorships", verbose_name=_("党组织")
    )
    mentor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="apprentices", verbose_name=_("导师")
    )
    apprentice = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="mentors", verbose_name=_("徒弟")
    )
    starts_on = models.DateField(_("结对日期"))
    ends_on = models.DateField(_("计划出师日期"))
    goals = models.TextField(_("带教目标"))
    status = models.CharField(
        _("状态"), max_length=20, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    closed_on = models.DateField(_("结束日期"), null=True, blank=True)
    outcome = models.TextField(_("带教成效"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(TalentQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own=("mentor", "apprentice"))

    class Meta:
        verbose_name = _("导师带徒")
        verbose_name_plural = _("导师带徒")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.apprentice}"


class ReviewRating(models.TextChoices):
    GOOD = "good", _("好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("差")


class MentorshipReview(TimestampedModel):
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("导师带徒")
    )
    reviewed_on = models.DateField(_("评价日期"))
    progress = models.TextField(_("阶段进展"))
    rating = models.CharField(_("评价"), max_length=10, choices=ReviewRating.choices)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("带教评价")
        verbose_name_plural = _("带教评价")
        ordering = ["mentorship", "-reviewed_on", "pk"]


class YoungMarxistClass(SoftDeleteModel):
    """青马班: a cohort of young staff trained in courses; they graduate when they attended enough of them."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="young_marxist_classes",
        verbose_name=_("主办党组织"),
    )
    name = models.CharField(_("班次名称"), max_length=200)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    # 本单位设置: the share of sessions a student must attend to graduate
    required_rate = models.PositiveSmallIntegerField(_("结业出勤率要求（%）"), default=80)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AliveManager.from_queryset(TalentQuerySet)()
    scoped_by = ScopedBy(VIEW, organization="organization", own="students__person")

    class Meta:
        verbose_name = _("青马班")
        verbose_name_plural = _("青马班")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return self.name


class StudentResult(models.TextChoices):
    GRADUATED = "graduated", _("结业")
    NOT_GRADUATED = "not_graduated", _("未结业")
    WITHDRAWN = "withdrawn", _("退学")


class ClassStudent(TimestampedModel):
    klass = models.ForeignKey(
        YoungMarxistClass, on_delete=models.PROTECT, related_name="students", verbose_name=_("青马班")
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="young_marxist_places", verbose_name=_("学员")
    )
    enrolled_on = models.DateField(_("入班日期"))
    result = models.CharField(_("结业情况"), max_length=20, choices=StudentResult.choices, blank=True)
    result_on = models.DateField(_("结业日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("青马班学员")
        verbose_name_plural = _("青马班学员")
        ordering = ["klass", "person__sort_key", "pk"]
        constraints = [models.UniqueConstraint(fields=["klass", "person"], name="talent_student_once")]


class ClassSession(TimestampedModel):
    klass = models.ForeignKey(
        YoungMarxistClass, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("青马班")
    )
    held_on = models.DateField(_("上课日期"))
    topic = models.CharField(_("课程"), max_length=200)
    lecturer = models.CharField(_("授课人"), max_length=100, blank=True)
    absent = models.ManyToManyField(ClassStudent, blank=True, related_name="absences", verbose_name=_("缺课学员"))

    class Meta:
        verbose_name = _("青马班课程")
        verbose_name_plural = _("青马班课程")
        ordering = ["klass", "held_on", "pk"]

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Reach, ScopedBy, ScopedSoftDeleteQuerySet
from dangjian.core.collation import sort_key as name_sort_key
from dangjian.core.models import AliveManager, SoftDeleteModel

from ..idcard import IdNumberError, full_years, mask, parse_id_number


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Employment(models.TextChoices):
    STAFF = "staff", _("在编")
    CONTRACT = "contract", _("合同")
    EXTERNAL = "external", _("外聘")
    RETIRED = "retired", _("退休")


class PoliticalStatus(models.TextChoices):
    MEMBER = "member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    MASSES = "masses", _("群众")
    DEMOCRATIC = "democratic", _("民主党派")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("博士研究生")
    MASTER = "master", _("硕士研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专/高中")
    OTHER = "other", _("其他")


class Occupation(models.TextChoices):
    """职业 in the classification of the in-party statistics' yearly report (党内统计年报, 党员职业 table), as it
    applies to an enterprise or institute committee; ``stats`` counts by it."""

    WORKER = "worker", _("工人（工勤技能人员）")
    FARMER = "farmer", _("农牧渔民")
    PROFESSIONAL = "professional", _("专业技术人员")
    MANAGER = "manager", _("企事业单位管理人员")
    OFFICIAL = "official", _("党政机关工作人员")
    STUDENT = "student", _("学生")
    MILITARY = "military", _("解放军、武警")
    RETIRED = "retired", _("离退休人员")
    OTHER = "other", _("其他职业人员")


phone_validator = RegexValidator(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", "手机号码应为11位手机号或带区号的固定电话")
EMPLOYEE_NO_MAX = 20
employee_no_validator = RegexValidator(r"^[A-Za-z0-9][A-Za-z0-9-]*$", _("工号只能由字母、数字和“-”组成（不以“-”开头）"))
EMPLOYEE_NO_TAKEN = _("该工号已被其他职工使用")


class PersonQuerySet(ScopedSoftDeleteQuerySet):
    # bulk writes (the roster import, the demo) skip ``save``: they keep the name's sort key here
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for person in objs:
            person.sort_key = name_sort_key(person.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "name" in fields:
            for person in objs:
                person.sort_key = name_sort_key(person.name)
            fields = [*fields, "sort_key"]
        return super().bulk_update(objs, fields, *args, **kwargs)


class PersonManager(AliveManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


class Person(SoftDeleteModel):
    """Every employee, party member or not: care and health cover everyone."""

    name = models.CharField("姓名", max_length=50)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    id_number = models.CharField("公民身份号码", max_length=18, unique=True)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=20, default="汉族")
    education = models.CharField("学历", max_length=20, choices=Education.choices, blank=True)
    phone = models.CharField("手机号码", max_length=20, blank=True, validators=[phone_validator])
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name="部门",
    )
    post = models.CharField("岗位", max_length=50, blank=True)
    title = models.CharField("职称", max_length=50, blank=True)
    employment = models.CharField("用工类型", max_length=20, choices=Employment.choices, default=Employment.STAFF)
    political_status = models.CharField(
        "政治面貌", max_length=20, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES
    )
    hire_date = models.DateField("入职日期", null=True, blank=True)
    # What the in-party statistics and the roster (党员花名册) need beyond the HR record: blank until entered or
    # imported; the data-quality page lists the members who lack them.
    native_place = models.CharField(_("籍贯"), max_length=50, blank=True, default="")
    work_started_on = models.DateField(_("参加工作时间"), null=True, blank=True)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices, blank=True, default="")
    # The institute's own staff number: what its HR system and directory (LDAP) know a person by, so accounts can be
    # matched to persons by it. Optional (not every roster has one); when given, one person's alone.
    employee_no = models.CharField(
        _("工号"), max_length=EMPLOYEE_NO_MAX, blank=True, default="", validators=[employee_no_validator]
    )
    # the name as ``core.collation.sort_key`` orders it (pinyin, numbers by value), kept on every write so that
    # paginated lists sort by name in the database: the default collations order Chinese by code point
    sort_key = models.CharField(_("姓名排序键"), max_length=255, blank=True, editable=False, default="")

    objects = PersonManager()
    all_objects = models.Manager.from_queryset(PersonQuerySet)()
    # Every employee, party member or not: members of the branches in scope plus the staff of their departments.
    scoped_by = ScopedBy("people.view", person="", reach=Reach.MEMBERS_AND_STAFF)

    class Meta:
        verbose_name = "职工"
        verbose_name_plural = "职工"
        ordering = ["sort_key", "name", "id"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(fields=["sort_key", "name", "id"], name="person_sort_key"),
            models.Index(fields=["department", "name"]),
            models.Index(fields=["birth_date"]),
            # Counts by political status for a whole group: an index-only count of 150,000 small entries instead of
            # reading every person's row (the home page's party figures now count current memberships instead).
            models.Index(
                fields=["political_status"], condition=models.Q(deleted_at__isnull=True), name="person_live_status"
            ),
        ]
        constraints = [
            # Deleted persons keep their number, as they keep their ID number: a restored record finds it free.
            models.UniqueConstraint(
                fields=["employee_no"],
                condition=~models.Q(employee_no=""),
                name="person_unique_employee_no",
                violation_error_message=EMPLOYEE_NO_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.sort_key = name_sort_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    @property
    def masked_id_number(self) -> str:
        return mask(self.id_number)

    @property
    def masked_phone(self) -> str:
        return self.phone[:3] + "****" + self.phone[-4:] if len(self.phone) == 11 else mask(self.phone)

    def age_on(self, on: date | None = None) -> int:
        return full_years(self.birth_date, on or timezone.localdate())

    def clean_fields(self, exclude=None) -> None:
        # Birth date and sex may be left empty: they come from the ID number.
        try:
            parsed = parse_id_number(self.id_number or "")
        except IdNumberError:
            parsed = None
        if parsed is not None:
            self.birth_date = self.birth_date or parsed.birth_date
            self.sex = self.sex or parsed.sex
        else:
            # the ID number's own error says what is wrong; empty derived fields add nothing
            exclude = set(exclude or ()) | {f for f in ("birth_date", "sex") if not getattr(self, f)}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        self.employee_no = (self.employee_no or "").strip()
        # Said on the field (the constraint alone would say it for the whole form); the constraint still holds
        # against two concurrent saves.
        if self.employee_no and Person.all_objects.filter(employee_no=self.employee_no).exclude(pk=self.pk).exists():
            errors["employee_no"] = str(EMPLOYEE_NO_TAKEN)
        try:
            parsed = parse_id_number(self.id_number or "")
        except IdNumberError as exc:
            raise ValidationError({**errors, "id_number": str(exc)}) from None
        self.id_number = parsed.number
        if self.birth_date and self.birth_date != parsed.birth_date:
            errors["birth_date"] = f"出生日期与公民身份号码不符（号码为 {parsed.birth_date:%Y-%m-%d}）"
        if self.sex and self.sex != parsed.sex:
            errors["sex"] = f"性别与公民身份号码不符（号码为{Sex(parsed.sex).label}）"
        if errors:
            raise ValidationError(errors)
        self.birth_date = parsed.birth_date
        self.sex = parsed.sex

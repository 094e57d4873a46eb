"""Saved column mappings and checkup import jobs.

A ``ColumnMapping`` tells the importer which header of a hospital's sheet holds which checkup field and in which
unit (e.g. "TC(mg/dL)" → total cholesterol, mg/dL). Mappings hold no personal data and are shared by all health
officers. An import job keeps the uploaded workbook between the dry run and the confirmed import: the file holds
checkup values, so it is stored encrypted in the row (never as a plain file under var/) and wiped once the import
is applied; its report (which quotes bad cells) is encrypted too.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import TimestampedModel
from dangjian.crypto import ring
from dangjian.crypto.rotation import Sealed

from ..fields import DATE_COLUMN, ID_COLUMN, NAME_COLUMN


class ColumnMapping(TimestampedModel):
    name = models.CharField(_("名称"), max_length=60, unique=True)
    id_header = models.CharField(_("公民身份号码列"), max_length=60, default=ID_COLUMN)
    name_header = models.CharField(_("姓名列"), max_length=60, default=NAME_COLUMN)
    date_header = models.CharField(_("体检日期列"), max_length=60, default=DATE_COLUMN)
    # {field name: {"header": column header, "unit": unit code}}; fields absent from the sheet are left out.
    columns = models.JSONField(_("列对应关系"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("体检表列映射")
        verbose_name_plural = _("体检表列映射")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def job_context(job_id, what: str) -> str:
    """The associated data binding an import's file or report to its job."""
    return f"import:{job_id}:{what}"


class CheckupImportJob(models.Model):
    class Status(models.TextChoices):
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    mapping = models.ForeignKey(ColumnMapping, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("文件名"), max_length=200)
    dry_run = models.BooleanField(_("预检"), default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DONE)
    ok = models.BooleanField(default=False)
    applied = models.BooleanField(_("已导入"), default=False)
    key_id = models.CharField(max_length=16, editable=False)
    file_ciphertext = models.BinaryField(null=True, editable=False)
    report_ciphertext = models.BinaryField(null=True, editable=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # For ``dangjian rotate-key``: "file_ciphertext" → context "import:<id>:file", and so for the report.
    SEALED = Sealed(
        ("file_ciphertext", "report_ciphertext"),
        lambda row, f: job_context(row["pk"], f.removesuffix("_ciphertext")),
        key_id_field="key_id",
    )

    class Meta:
        verbose_name = _("体检导入任务")
        verbose_name_plural = _("体检导入任务")
        ordering = ["-created_at"]

    def _context(self, what: str) -> str:
        return job_context(self.pk, what)

    def store_file(self, data: bytes) -> None:
        c = ring()
        self.key_id = c.key_id
        self.file_ciphertext = c.encrypt(data, self._context("file"))

    def file_bytes(self) -> bytes:
        if self.file_ciphertext is None:
            return b""
        return ring().decrypt(self.file_ciphertext, self._context("file"), self.key_id)

    def store_report(self, report: dict) -> None:
        c = ring()
        self.key_id = c.key_id
        self.report_ciphertext = c.encrypt_json(report, self._context("report"))

    def report(self) -> dict:
        if self.report_ciphertext is None:
            return {}
        return ring().decrypt_json(self.report_ciphertext, self._context("report"), self.key_id)

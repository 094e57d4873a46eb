from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    """Requests and reports (请示报告) sent to the organisation above, received and answered."""

    name = "dangjian.submissions"
    label = "submissions"
    verbose_name = _("请示报告")

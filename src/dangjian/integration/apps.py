from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationConfig(AppConfig):
    """Party work inside research and production: business lines and key tasks, the carriers members lead through
    (示范岗, 责任区, 突击队/攻关团队, 承诺, 共建, 联席) and the integration matrix (融合矩阵) that joins them."""

    name = "dangjian.integration"
    label = "integration"
    verbose_name = _("党建与业务融合")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    """The talent work the seed names: the reserve of branch secretaries (储备优秀党支部书记), mentor–apprentice pairs
    (导师带徒) and the young Marxists' class (青马班)."""

    name = "dangjian.talent"
    label = "talent"
    verbose_name = _("人才培养")

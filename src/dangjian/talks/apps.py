from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalksConfig(AppConfig):
    """Talks (谈心谈话), study hours (学习学时) and leaders' contact points (党建联系点).

    They were part of the meetings app; their pages keep the public addresses under ``/life/`` and the
    permissions ``life.view``/``life.change``/``life.assign``, which links, printed codes and roles rely on.
    """

    name = "dangjian.talks"
    label = "talks"
    verbose_name = _("谈心谈话与学习学时")

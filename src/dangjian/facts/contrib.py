from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

register(
    Contribution(
        app="facts",
        menu=[MenuEntry(perm="facts.view", url_name="facts:index", label=_("事实与指标"), order=185, group="records")],
    )
)

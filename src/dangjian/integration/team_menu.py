"""The menu entries of the taskforce and pledge pages (wired in ``contrib.py``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import MenuEntry

from .pledges import CHANGE, VIEW

MENU = (
    MenuEntry(VIEW, "integration:taskforce_list", _("突击队/攻关团队"), order=181),
    MenuEntry(VIEW, "integration:pledge_mine", _("我的承诺"), order=182),
    MenuEntry(CHANGE, "integration:pledge_review", _("承诺审核"), order=183),
    MenuEntry(VIEW, "integration:pledge_public", _("承诺公示"), order=184),
)

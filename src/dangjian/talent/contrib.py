"""What the talent work adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from .services import VIEW

register(
    Contribution(
        app="talent",
        menu=(
            MenuEntry(VIEW, "talent:reserve_list", _("书记储备"), order=195),
            MenuEntry(VIEW, "talent:mentorship_list", _("导师带徒"), order=196),
            MenuEntry(VIEW, "talent:class_list", _("青马班"), order=197),
        ),
    )
)

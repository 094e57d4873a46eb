"""What the audit app adds to the platform (see ``dangjian.core.contributions``)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

from . import home

register(
    Contribution(
        app="audit",
        menu=(MenuEntry("audit.view", "audit:log", _("审计日志"), order=220, group="system"),),
        home_items=home.home_items,
    )
)

"""What the rules app contributes: the menu entry of 规则与依据 (every role that sees people reads it; the page
itself only asks for a signed-in user)."""

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import Contribution, MenuEntry, register

register(
    Contribution(
        app="rules",
        menu=[
            MenuEntry(perm="people.view", url_name="rules:catalogue", label=_("规则与依据"), order=900, group="system")
        ],
        api_router="dangjian.rules.api.router",
    )
)

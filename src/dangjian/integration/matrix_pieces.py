"""The matrix part's pieces for the app's ``contrib.py`` (wired there by the integrator):

from . import matrix_pieces
Contribution(
    app="integration",
    menu=(*matrix_pieces.MENU, ...),
    home_items=matrix_pieces.home_items,          # or combined with the other parts' items
    facts=[matrix_pieces.IntegrationFacts()],
    api_router=matrix_pieces.API_ROUTER,
)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dangjian.core.contributions import MenuEntry

from .active import VIEW
from .facts import IntegrationFacts
from .presence import home_items

MENU = (MenuEntry(VIEW, "integration:matrix", _("融合矩阵"), order=182),)
API_ROUTER = "dangjian.integration.api.router"

__all__ = ["API_ROUTER", "MENU", "IntegrationFacts", "home_items"]

"""What the yearly work plan adds to the platform (see ``dangjian.core.contributions``). Its pages are reached from
the section page of party work inside the business (``integration:hub``), so it adds no menu entry of its own."""

from dangjian.core.contributions import Contribution, register

from .facts import WorkPlanFacts
from .home import home_items
from .ledger import PARTS

register(
    Contribution(
        app="workplan",
        home_items=home_items,
        facts=[WorkPlanFacts()],
        documents=PARTS,
        api_router="dangjian.workplan.api.router",
    )
)

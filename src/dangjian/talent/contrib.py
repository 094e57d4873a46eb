"""What the talent work adds to the platform (see ``dangjian.core.contributions``): its pages are reached from the
section page of party work inside the business (``integration:hub``), so it adds no menu entry of its own."""

from dangjian.core.contributions import Contribution, register

register(Contribution(app="talent"))

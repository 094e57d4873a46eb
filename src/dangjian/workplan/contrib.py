"""What the yearly work plan adds to the platform (see ``dangjian.core.contributions``)."""

from dangjian.core.contributions import Contribution, register

register(Contribution(app="workplan"))

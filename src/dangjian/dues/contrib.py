from dangjian.core.contributions import Contribution, register

from .facts import DuesFacts

register(Contribution(app="dues", facts=[DuesFacts()]))

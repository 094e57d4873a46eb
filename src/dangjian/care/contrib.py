from dangjian.core.contributions import Contribution, register

from .facts import CareFacts

register(Contribution(app="care", facts=[CareFacts()]))

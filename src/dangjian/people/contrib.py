from dangjian.core.contributions import Contribution, register

from .facts import PeopleFacts

register(Contribution(app="people", facts=[PeopleFacts()]))

from dangjian.core.contributions import Contribution, register

from .facts import DevelopmentFacts

register(Contribution(app="development", facts=[DevelopmentFacts()]))

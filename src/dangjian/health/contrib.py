from dangjian.core.contributions import Contribution, register

from .facts import HealthFacts

register(Contribution(app="health", facts=[HealthFacts()]))

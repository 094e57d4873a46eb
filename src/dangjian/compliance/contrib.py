from dangjian.core.contributions import Contribution, register

from .facts import ComplianceFacts

register(Contribution(app="compliance", facts=[ComplianceFacts()]))

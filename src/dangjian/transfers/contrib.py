from dangjian.core.contributions import Contribution, register

from .facts import TransferFacts

register(Contribution(app="transfers", facts=[TransferFacts()]))

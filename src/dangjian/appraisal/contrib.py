from dangjian.core.contributions import Contribution, register

from .facts import AppraisalFacts

register(Contribution(app="appraisal", facts=[AppraisalFacts()]))

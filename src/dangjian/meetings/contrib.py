from dangjian.core.contributions import Contribution, register

from .facts import LifeFacts, MeetingFacts

register(Contribution(app="meetings", facts=[MeetingFacts(), LifeFacts()]))

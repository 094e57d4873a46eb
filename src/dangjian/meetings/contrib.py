from dangjian.core.contributions import Contribution, register

register(Contribution(app="meetings", api_router="dangjian.meetings.api.router"))

from dangjian.core.contributions import Contribution, register

register(Contribution(app="care", api_router="dangjian.care.api.router"))

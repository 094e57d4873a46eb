from dangjian.core.contributions import Contribution, register

register(Contribution(app="health", api_router="dangjian.health.api.router"))

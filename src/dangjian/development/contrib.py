from dangjian.core.contributions import Contribution, register

register(Contribution(app="development", api_router="dangjian.development.api.router"))

from dangjian.core.contributions import Contribution, register

register(Contribution(app="dues", api_router="dangjian.dues.api.router"))

from dangjian.core.contributions import Contribution, register

register(Contribution(app="transfers", api_router="dangjian.transfers.api.router"))

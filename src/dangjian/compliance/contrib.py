from dangjian.core.contributions import Contribution, register

register(Contribution(app="compliance", api_router="dangjian.compliance.api.router"))

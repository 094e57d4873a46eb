from dangjian.core.contributions import Contribution, register

register(Contribution(app="appraisal", api_router="dangjian.appraisal.api.router"))

from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "dangjian.facts"
    label = "facts"
    verbose_name = "事实与指标"

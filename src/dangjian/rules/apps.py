from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "dangjian.rules"
    label = "rules"
    verbose_name = "规则与依据"

    def ready(self):
        from django.core.signals import request_finished, request_started
        from django.utils.module_loading import autodiscover_modules

        from . import services

        # every app's rule tables register themselves on import: load them all, so the catalogue is complete
        autodiscover_modules("rule_data")
        request_started.connect(services.begin_request, dispatch_uid="rules.begin_request")
        request_finished.connect(services.end_request, dispatch_uid="rules.end_request")

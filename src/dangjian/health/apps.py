from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "dangjian.health"
    label = "health"
    verbose_name = "健康风险筛查"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the health key check)

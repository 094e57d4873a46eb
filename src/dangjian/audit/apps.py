from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "dangjian.audit"
    label = "audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the audit key check)

from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "dangjian.care"
    label = "care"
    verbose_name = "关心关爱与为群众办实事"

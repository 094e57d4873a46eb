from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "核心"

    def ready(self) -> None:
        # the pure rule modules' messages (core.lazytext) render in the language active when they are shown
        from django.utils.translation import gettext

        from . import lazytext

        lazytext.install(gettext)

"""The office's pages for indicator systems: list, detail, import and export, publish / new version / retire."""

from .actions import new_version, publish, retire
from .systems import detail, export, import_page, system_list, template

__all__ = ["detail", "export", "import_page", "new_version", "publish", "retire", "system_list", "template"]

"""The ``dangjian`` console command for operators.

It wraps Django's management commands, so ``dangjian demo --scale group``,
``dangjian import-roster FILE``, ``dangjian backup FILE``, ``dangjian worker``
(the background-job worker: django-tasks' ``db_worker`` with the reaper) and
every built-in command (``dangjian migrate``) work the same way. Dashes in a
command name are accepted for underscores. A console command does its work in
its own process and never waits for a worker.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings module now, to report its refusal in one line)
    except ImproperlyConfigured as exc:
        # An operator's mistake (a production variable not set), not a bug: one clear line, no traceback.
        # Settings load before translations, so the line is Chinese, the platform's language.
        sys.stderr.write(f"配置错误：{exc}\n")
        raise SystemExit(2) from None

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

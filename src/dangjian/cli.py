"""The ``dangjian`` console command for operators.

It wraps Django's management commands, so ``dangjian demo --scale group``,
``dangjian import-roster FILE``, ``dangjian backup FILE`` and every built-in
command (``dangjian migrate``) work the same way. Dashes in a command name are
accepted for underscores.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()

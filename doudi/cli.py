"""`doudi` console command: Django's management commands under one name (doudi demo, doudi serve, …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (after the settings are chosen)

    execute_from_command_line(["doudi", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

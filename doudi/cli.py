"""`doudi` console command: Django's management commands under one name (doudi demo, doudi serve, …).

A command that reads or writes the data refuses to run on a database that `doudi migrate` has not created or
brought up to date, with one line saying so (in Chinese and English) and exit code 1 — not a traceback
ending in "no such table".
"""

from __future__ import annotations

import os
import sys

# Commands that work without the application's tables (or that create them).
NO_DATABASE_NEEDED = {
    "migrate",
    "restore",  # into an empty database
    "keys",
    "makemigrations",
    "showmigrations",
    "sqlmigrate",
    "squashmigrations",
    "optimizemigration",
    "help",
    "version",
    "check",
    "shell",
    "dbshell",
    "test",
    "testserver",
    "collectstatic",
    "findstatic",
    "compilemessages",
    "makemessages",
    "diffsettings",
    "createcachetable",
    "startapp",
    "startproject",
    "sendtestemail",
    "inspectdb",
    "sqlflush",
    "sqlsequencereset",
    "flush",
    "match",  # two CSV files in, one out
    "match_train",
}


def pending_migrations_message() -> str | None:
    """None when every migration is applied; otherwise what to tell the person (the database may not exist,
    be unreachable, or be behind the code)."""
    from django.db import DEFAULT_DB_ALIAS, connections  # noqa: PLC0415  (after the settings are chosen)
    from django.db.migrations.executor import MigrationExecutor  # noqa: PLC0415

    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as e:  # no database server, no permission, a broken URL …
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return (
            f"无法打开数据库（{reason}）：请检查 DATABASE_URL，然后运行 doudi migrate / "
            f"Cannot open the database ({reason}): check DATABASE_URL, then run `doudi migrate`"
        )
    if not plan:
        return None
    if not executor.loader.applied_migrations:
        return (
            "数据库尚未创建：请先运行 doudi migrate / The database has not been created yet: run `doudi migrate` first"
        )
    return (
        f"数据库需要升级（{len(plan)} 个迁移未执行）：请先运行 doudi migrate / The database needs upgrading "
        f"({len(plan)} migrations not applied): run `doudi migrate` first"
    )


def needs_database(argv: list[str]) -> bool:
    command = next((a for a in argv if not a.startswith("-")), None)
    return (
        command is not None
        and command not in NO_DATABASE_NEEDED
        and not any(a in ("-h", "--help", "--version") for a in argv)
    )


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.settings.base")
    from django.core.management import execute_from_command_line  # noqa: PLC0415  (after the settings are chosen)

    args = sys.argv[1:] if argv is None else argv
    from django.conf import settings  # noqa: PLC0415
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415

    try:
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings: a refused secret key says so, without a traceback)
    except ImproperlyConfigured as e:
        print(e, file=sys.stderr)
        sys.exit(2)
    if needs_database(args):
        import django  # noqa: PLC0415

        django.setup()
        message = pending_migrations_message()
        if message:
            print(message, file=sys.stderr)
            sys.exit(1)
    execute_from_command_line(["doudi", *args])


if __name__ == "__main__":
    main()

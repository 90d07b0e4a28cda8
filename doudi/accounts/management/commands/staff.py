"""`doudi staff add|role`: staff accounts from the server's shell — the first three administrators of a new
installation (三员分立: one account each), and a role when no security administrator is left. Audited as the
system; the same rules as the pages (no account holds two of the three administrators' roles)."""

import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from doudi.accounts.actions import staff_create, staff_role_set
from doudi.accounts.models import NO_ROLE, Staff
from doudi.accounts.roles import Role
from doudi.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Staff accounts from the shell: add an account (e.g. the first administrators), or set an account's role."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        a = sub.add_parser("add", help="add an account; the password is asked for (or read from stdin)")
        a.add_argument("username")
        a.add_argument("--area", required=True, help="12-digit area code")
        a.add_argument("--role", default=NO_ROLE, choices=[NO_ROLE, *Role.values])
        a.add_argument("--full-name", default="")
        a.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
        r = sub.add_parser("role", help="grant a role (or withdraw it with an empty role)")
        r.add_argument("username")
        r.add_argument("role", choices=[NO_ROLE, *Role.values])

    def handle(self, *args, what, **options):
        try:
            if what == "add":
                if options["password_stdin"]:
                    password = sys.stdin.readline().rstrip("\n")
                else:
                    password = getpass.getpass("密码 / Password: ")
                staff = staff_create(
                    actor=None,
                    username=options["username"],
                    password=password,
                    role=options["role"],
                    area_code=options["area"],
                    full_name=options["full_name"],
                )
                self.stdout.write(f"已创建账号 {staff.username}（{staff.get_role_display() or '无角色'}）")
            else:
                staff = Staff.objects.filter(username=options["username"]).first()
                if staff is None:
                    raise CommandError(f"没有用户名为 {options['username']} 的工作人员")
                staff = staff_role_set(actor=None, staff=staff, role=options["role"])
                self.stdout.write(f"{staff.username} 的角色：{staff.get_role_display() or '无角色'}")
        except ApplicationError as e:
            raise CommandError(f"{e.zh} / {e.en}") from e

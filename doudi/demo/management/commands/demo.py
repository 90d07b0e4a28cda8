"""doudi demo [--households N] [--seed S] [--reset]: the demo county with two years of history (history.py)."""

import base64
import time

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from doudi.accounts.actions import staff_create
from doudi.accounts.models import Staff
from doudi.accounts.twofactor import demo_device, has_device, second_factor_required
from doudi.areas.models import Area
from doudi.cases.models import Enrolment
from doudi.core.workdays import WorkCalendar
from doudi.demo.benefits import benefits_demo
from doudi.demo.cases import PLAN, demo_cases
from doudi.demo.county import COUNTY_CODE, township_login
from doudi.demo.departments import departments_load, reports_build
from doudi.demo.generator import Generator
from doudi.demo.history import History, reserved_households
from doudi.demo.summary import county_summary, summary_lines
from doudi.demo.targets import demo_targets
from doudi.demo.transfers import transfers_demo
from doudi.demo.year import Year
from doudi.programmes.actions import policy_pack_load
from doudi.programmes.pack import DEMO_PACK
from doudi.programmes.selectors import params_memo
from doudi.programmes.shapes import SHAPES
from doudi.registry import models as rm
from doudi.verification.schemas import KINDS

DEMO_PASSWORD = "Doudi-demo-2026"
# The demo logins whose role needs a second factor get an authenticator with this key: `doudi otp code <user>`
# shows its current code (only demo devices answer), or add the key to a phone's authenticator app.
DEMO_OTP_KEY = "646f7564692d64656d6f2d636f756e7479"
# username, role, area (index into township list or None for the county), name
DEMO_STAFF = [
    # the three separated administrators (三员分立): one account each, none doing another's work
    ("admin", "system_admin", None, "县民政局系统管理员"),
    ("secadmin", "security_admin", None, "县民政局安全管理员"),
    ("auditadmin", "audit_admin", None, "县民政局安全审计员"),
    ("approver", "county_approver", None, "县民政局审批人"),
    ("reviewer", "county_reviewer", None, "县民政局审核人"),
    ("finance", "finance_officer", None, "县民政局财务"),
    ("finance2", "finance_officer", None, "县民政局财务（审批）"),
    ("auditor", "auditor", None, "县纪检审计"),
    ("tsreviewer", "township_reviewer", 1, "汉阳镇审核人"),
    ("caseworker", "township_caseworker", 1, "汉阳镇经办人"),
    ("caseworker2", "township_caseworker", 2, "瑞峰镇经办人"),
    ("cadre", "village_cadre", "village", "村干部"),
]


class Command(BaseCommand):
    help = (
        "Build the demo county (Qingshen, 511425) with two years of history into the configured database and "
        "print the county's figures and the demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--townships", type=int, default=None)
        parser.add_argument("--villages-per-township", type=int, default=None)
        parser.add_argument("--reset", action="store_true", help="empty the database first (every table)")
        parser.add_argument("--no-staff", action="store_true", help="only the registry: no staff, no history")

    def handle(self, *args, households, seed, townships, villages_per_township, reset, no_staff, **options):
        started = time.perf_counter()
        if reset:
            call_command("flush", interactive=False, verbosity=0)
        existing = rm.Household.objects.filter(area__code__startswith=COUNTY_CODE).count()
        if existing and not reset:
            self.stdout.write(f"Demo county already has {existing} households; keeping them (use --reset to rebuild).")
        else:
            gen = Generator(
                seed=seed, households=households, townships=townships, villages_per_township=villages_per_township
            )

            def progress(done, total):
                if total >= 50_000:
                    self.stdout.write(f"  {done}/{total} households", ending="\r")
                    self.stdout.flush()

            report = gen.run(progress=progress)
            self.stdout.write(
                f"Built demo county 青神县 ({COUNTY_CODE}): {report.households} households, {report.people} people, "
                f"{sum(report.records.values())} rows in {report.seconds:.1f} s (batch {report.batch_id})"
            )
        loaded = policy_pack_load(actor=None, county_code=COUNTY_CODE + "000000", pack=DEMO_PACK)
        if loaded:
            self.stdout.write(f"Loaded the demo policy pack: {loaded} parameter versions ({', '.join(SHAPES)})")
        if no_staff:
            return
        self._staff()
        today = timezone.localdate()
        if not Enrolment.objects.exists():
            # one transaction (all of it or nothing, and fast on SQLite), the holiday calendar and each programme's
            # parameter versions read once
            with transaction.atomic(), WorkCalendar.pinned(), params_memo():
                caseworker = Staff.objects.get(username="caseworker")
                reserved = reserved_households(caseworker.scope_prefix, today, [target for target, _ in PLAN])
                history = History(seed=seed, today=today, reserved={h.pk for h in reserved if h})
                year = Year(history, seed=seed)
                year.plan()  # this year's months of the other programmes, on the history's days
                history.at(today, lambda: demo_cases(reserved, today), order=8, name="current_cases")
                made = history.run()
                paid = benefits_demo(today=today, seed=seed)
                transfers_demo(today=today)  # a family of 瑞峰镇 asking to move to 汉阳镇
            steps = ", ".join(f"{k} {v:.1f} s" for k, v in made.seconds.items())
            self.stdout.write(
                f"Made two years of history through the actions: {made.applications} applications "
                f"({made.approved} approved, {made.refused} refused), {made.reviews_done} reviews, "
                f"{sum(made.change_reports.values())} change reports, {made.payrolls} payrolls "
                f"and {made.other_payrolls} of the other programmes ({made.bank_failures} lines returned by the bank);"
                f" {steps}"
            )
            self.stdout.write(
                f"This year's other programmes ({year.months[0]:%Y-%m} to {year.months[-1]:%Y-%m}): "
                + ", ".join(f"{k} {v}" for k, v in sorted(year.made.items()))
            )
            self.stdout.write(
                "This month's payrolls of the other programmes: "
                + ", ".join(f"{programme} {lines} lines" for programme, lines in paid.items())
            )
        targets = demo_targets(
            years=(today.year - 1, today.year),
            reviewer=Staff.objects.get(username="reviewer"),
            approver=Staff.objects.get(username="approver"),
            next_year=today.year + 1,
        )
        if targets:
            self.stdout.write(
                f"Targets: the seed's (220 urban, 120 rural yuan) entered and approved, and next year's entered for"
                f" the approver ({targets} in all)"
            )
        records, matched, planted = departments_load(prefix=COUNTY_CODE, today=today, seed=seed)
        if records:
            self.stdout.write(
                f"Loaded the departments' files ({len(KINDS)} kinds): {records} records, {matched} matched to the "
                "registry; planted discrepancies for the queues: "
                + ", ".join(f"{kind} (person #{pk})" for kind, pk in sorted(planted.people.items()))
            )
        findings = reports_build()
        if findings:
            self.stdout.write(f"Built the verification reports of the open cases past the check: {findings} findings")
        self.stdout.write("")
        for line in summary_lines(county_summary(today)):
            self.stdout.write(line)
        self._logins()
        self.stdout.write(f"\nDemo built in {time.perf_counter() - started:.1f} s.")

    def _staff(self):
        townships = list(Area.objects.filter(level="township", code__startswith=COUNTY_CODE).order_by("code"))
        county = Area.objects.get(code=COUNTY_CODE + "000000")
        village = Area.objects.filter(parent=townships[1], level="village").order_by("code").last()
        wanted = []
        for username, role, where, name in DEMO_STAFF:
            area = county if where is None else village if where == "village" else townships[where]
            wanted.append((username, role, area, name))
        # every other township's caseworker and reviewer (the two surveyors a home visit needs)
        for i, t in enumerate(townships):
            login = township_login(i)
            if i != 1:
                if i != 2:
                    wanted.append((f"cw-{login}", "township_caseworker", t, f"{t.name}经办人"))
                wanted.append((f"tr-{login}", "township_reviewer", t, f"{t.name}审核人"))
        have = set(Staff.objects.values_list("username", flat=True))
        hashed = make_password(DEMO_PASSWORD)  # one password for every demo login: hashed once, not 27 times
        for username, role, area, name in wanted:
            if username not in have:
                staff_create(
                    actor=None,
                    username=username,
                    password=DEMO_PASSWORD,
                    password_hash=hashed,
                    role=role,
                    area_code=area.code,
                    full_name=name,
                    check_password=False,
                )
        for user in Staff.objects.filter(username__in=[w[0] for w in wanted]):
            if second_factor_required(user) and not has_device(user):
                demo_device(user, DEMO_OTP_KEY)

    def _logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        staff = {s.username: s for s in Staff.objects.select_related("area")}
        for username, role, _, _ in DEMO_STAFF:
            self.stdout.write(f"  {username:<12} {role:<20} {staff[username].area.name}")
        needs = [u for u, *_ in DEMO_STAFF if second_factor_required(staff[u])]
        if needs:
            secret = base64.b32encode(bytes.fromhex(DEMO_OTP_KEY)).decode().rstrip("=")
            self.stdout.write(
                f"  second factor for {', '.join(needs)}: the 6-digit code from `doudi otp code <user>`, or add the"
                f" key {secret} to a phone's authenticator app"
            )
        others = sorted(u for u in staff if u.startswith(("cw-", "tr-")))
        if others:
            self.stdout.write(f"  each other township's caseworker and reviewer: {', '.join(others)}")

from django.core.management.base import BaseCommand
from django.db import transaction

from doudi.accounts.actions import staff_create
from doudi.accounts.models import Staff
from doudi.demo.county import COUNTY_CODE
from doudi.demo.generator import Generator
from doudi.registry import models as rm

DEMO_PASSWORD = "Doudi-demo-2026"
# username, role, area (index into township list or None for the county), name
DEMO_STAFF = [
    ("admin", "bureau_admin", None, "县民政局系统管理员"),
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
    help = "Build the demo county (Qingshen, 511425) into the configured database and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2015)
        parser.add_argument("--townships", type=int, default=None)
        parser.add_argument("--villages-per-township", type=int, default=None)
        parser.add_argument("--reset", action="store_true", help="delete the registry first")
        parser.add_argument("--no-staff", action="store_true")

    def handle(self, *args, households, seed, townships, villages_per_township, reset, no_staff, **options):
        if reset:
            with transaction.atomic():
                for model in (
                    rm.MemberFacts,
                    rm.HouseholdFacts,
                    rm.Supporter,
                    rm.BusinessRole,
                    rm.Home,
                    rm.Vehicle,
                    rm.FinancialAsset,
                    rm.Expenditure,
                    rm.Income,
                    rm.Membership,
                    rm.Person,
                    rm.Household,
                ):
                    model.objects.all().delete()
        existing = rm.Household.objects.filter(area__code__startswith=COUNTY_CODE).count()
        if existing and not reset:
            self.stdout.write(f"Demo county already has {existing} households; keeping them (use --reset to rebuild).")
            Generator(seed=seed, households=0, townships=townships, villages_per_township=villages_per_township)
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
        from doudi.programmes.actions import policy_pack_load
        from doudi.programmes.pack import DEMO_PACK

        loaded = policy_pack_load(actor=None, county_code=COUNTY_CODE + "000000", pack=DEMO_PACK)
        if loaded:
            self.stdout.write(f"Loaded the demo policy pack: {loaded} parameter versions (dibao, tekun)")
        if not no_staff:
            self._staff()
            from doudi.demo.cases import demo_cases

            made = demo_cases()
            if made:
                self.stdout.write(f"Made {made} demo cases in every state of the procedure (some overdue)")
                from doudi.accounts.models import Staff
                from doudi.payments.generation import payroll_generate
                from django.utils import timezone

                payroll = payroll_generate(
                    actor=Staff.objects.get(username="finance"), programme="dibao", month=timezone.localdate()
                )
                self.stdout.write(
                    f"Generated this month's dibao payroll #{payroll.pk} ({payroll.line_count} lines, "
                    f"{payroll.total} yuan) for finance2 to approve"
                )

    def _staff(self):
        from doudi.areas.models import Area

        townships = list(Area.objects.filter(level="township", code__startswith=COUNTY_CODE).order_by("code"))
        county = Area.objects.get(code=COUNTY_CODE + "000000")
        village = Area.objects.filter(parent=townships[1], level="village").order_by("code").last()
        self.stdout.write("\nDemo logins (password for all: %s)" % DEMO_PASSWORD)
        for username, role, where, name in DEMO_STAFF:
            area = county if where is None else village if where == "village" else townships[where]
            if not Staff.objects.filter(username=username).exists():
                staff_create(
                    actor=None,
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    area_code=area.code,
                    full_name=name,
                    check_password=False,
                )
            self.stdout.write(f"  {username:<12} {role:<20} {area.name}")

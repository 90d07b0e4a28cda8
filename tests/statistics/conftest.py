"""A small county built by hand, January to March 2026, whose figures are worked out by hand in the tests.

汉阳镇 (511425101000): H1 rural, 3 counted members (head 65, spouse 56 with a grade 2 disability, child 14), dibao
300.00 a month from January; H2 urban (汉阳社区), 1 member aged 36, dibao 200.00 from January, whose February
payment the bank returns (paid again in March as arrears: one line of 400.00 for two months); H4 rural, 1 member,
dibao 200.00 from January, terminated from March; T1 tekun from January, 800.00, centralised.
瑞峰镇 (511425102000): H3 rural, 2 members aged 76 and 70, dibao 150.00 from March; T2 (urban hukou) tekun 500.00,
scattered.
Payrolls for January, February and March, approved (February's exported and returned, H2 failed).
Cases: C1 accepted 2 March, approved 20 March (due 10 April); C2 accepted 5 March, refused 31 March (due 20
March: late); C3 accepted 10 March, surveyed 25 March, sent for verification 2 April, open; C4 accepted 10 February, withdrawn 3 March. An overpayment of 120.00
raised on H1 on 15 March, 50.00 of it repaid on 20 March.

The other programmes, one person each unless said: old-age allowance 100.00 a month to 郑五 from January and to
冯六 from January, ended from March; children's allowance 1,200.00 to 王小一 from February; disability subsidies
80.00 to 李一 from January; veterans 600.00 to 孙三 (瑞峰镇) from March, and his Spring Festival grant of 500.00 paid
once in March. One-offs: temporary assistance 1,000.00 to
H4 in February and 500.00 to H2 in March (the bank returns March's); medical assistance 350.00 to 赵二 in March;
funeral fee waiver 2,000.00 for 周三 (瑞峰镇) in March.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from doudi.benefits.models import ElderlyRoster, ElderlyRosterLine, RosterMark, VeteranEntitlement, VeteranGrant
from doudi.cases.models import Case, CaseEvent, ChangeKind, Enrolment, Overpayment
from doudi.core.money import add_months
from doudi.payments import actions
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine, Recovery
from doudi.registry.models import Person

from ..cases.conftest import people  # noqa: F401
from ..conftest import enrolment_direct, member
from ..payments.conftest import card, finance  # noqa: F401

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def approve(finance, programme, month):
    p = payroll_generate(actor=finance["f1"], programme=programme, month=month)
    for a in p.anomalies.all():
        actions.anomaly_handle(actor=finance["f1"], anomaly=a, accept=True, reason="测试")
    actions.payroll_check(actor=finance["f1"], payroll=p)
    return actions.payroll_approve(actor=finance["f2"], payroll=p)


@pytest.fixture
def county(register, people, finance, settings, tmp_path):  # noqa: F811
    settings.DATA_DIR = tmp_path
    seq = {"n": 0}

    def household(area, hukou, members):
        seq["n"] += 1
        # the township's caseworker registers its households (the system administrator holds no business data)
        actor = people["caseworker_a"] if area.startswith("511425101") else people["caseworker_b"]
        return register(actor=actor, area=area, members=members, hukou_type=hukou, bank_account=card(700 + seq["n"]))

    def enrol(h, programme, amount, start, counted, *, mode="", person=None, history=(), once=False):
        e = enrolment_direct(
            h,
            programme,
            amount,
            start,
            created_by=people["caseworker_a"],
            person=person,
            counted=counted,
            mode=mode,
            once=once,
            history=history,
        )
        for kind, month, _new in history:
            if kind == ChangeKind.TERMINATE:  # paid to the month before
                Enrolment.objects.filter(pk=e.pk).update(end_month=add_months(month, -1), status="terminated")
        return e

    h1 = household(
        "511425101201",
        "rural",
        [
            member("王一", "1960-05-01", 101, "head"),
            member("李一", "1970-01-01", 102, "spouse", disability_kind="physical", disability_grade=2),
            member("王小一", "2012-01-01", 103, "child", student=True),
        ],
    )
    h2 = household("511425101001", "urban", [member("赵二", "1990-01-01", 201, "head")])
    h3 = household(
        "511425102201",
        "rural",
        [member("孙三", "1950-01-01", 301, "head"), member("周三", "1955-06-01", 302, "spouse")],
    )
    h4 = household("511425101201", "rural", [member("吴四", "1980-01-01", 401, "head")])
    t1 = household("511425101201", "rural", [member("郑五", "1940-01-01", 501, "head")])
    t2 = household("511425102201", "urban", [member("冯六", "1945-01-01", 601, "head")])
    e = {
        "h1": enrol(h1, "dibao", "300.00", JAN, 3),
        "h2": enrol(h2, "dibao", "200.00", JAN, 1),
        "h3": enrol(h3, "dibao", "150.00", MAR, 2),
        "h4": enrol(h4, "dibao", "200.00", JAN, 1, history=[(ChangeKind.TERMINATE, MAR, "0.00")]),
        "t1": enrol(t1, "tekun", "800.00", JAN, 1, mode="centralised", person=t1.memberships.get().person),
        "t2": enrol(t2, "tekun", "500.00", JAN, 1, mode="scattered", person=t2.memberships.get().person),
    }

    def person(name):
        return Person.objects.get(name=name)

    ended = [(ChangeKind.TERMINATE, MAR, "0.00")]
    e |= {
        "elderly_zheng": enrol(t1, "elderly", "100.00", JAN, 1, person=person("郑五")),
        "elderly_feng": enrol(t2, "elderly", "100.00", JAN, 1, person=person("冯六"), history=ended),
        "children": enrol(h1, "children", "1200.00", FEB, 1, person=person("王小一")),
        "disability": enrol(h1, "disability", "80.00", JAN, 1, person=person("李一")),
        "veterans": enrol(h3, "veterans", "600.00", MAR, 1, person=person("孙三")),
        "temporary_h4": enrol(h4, "temporary", "1000.00", FEB, 1, once=True),
        "temporary_h2": enrol(h2, "temporary", "500.00", MAR, 1, once=True),
        "medical": enrol(h2, "medical", "350.00", MAR, 1, person=person("赵二"), once=True),
        "funeral": enrol(h3, "funeral", "2000.00", MAR, 1, person=person("周三"), once=True),
    }
    # 孙三's Spring Festival grant, paid once through March's veterans payroll: money paid, nobody more on the roll
    entitlement = VeteranEntitlement.objects.create(
        person=person("孙三"),
        household=h3,
        area_code=h3.area_id,
        category="demobilised",
        start_month=MAR,
        state="approved",
        enrolment=e["veterans"],
        created_by=people["caseworker_b"],
    )
    e["veterans_grant"] = enrol(h3, "veterans", "500.00", MAR, 1, person=person("孙三"), once=True)
    VeteranGrant.objects.create(
        entitlement=entitlement,
        kind="spring_festival",
        year=2026,
        month=MAR,
        amount=Decimal("500.00"),
        enrolment=e["veterans_grant"],
        batch_id="test",
        created_by=people["approver"],
    )
    # the village confirmed each old-age allowance month as present (only those reach the payroll)
    for key, months in (("elderly_zheng", (JAN, FEB, MAR)), ("elderly_feng", (JAN, FEB))):
        for month in months:
            roster, _ = ElderlyRoster.objects.get_or_create(area_code=e[key].area_code, month=month)
            ElderlyRosterLine.objects.create(
                roster=roster,
                enrolment=e[key],
                person=e[key].person,
                month=month,
                amount=Decimal("100.00"),
                mark=RosterMark.PRESENT,
            )
    returned = {("dibao", FEB): "h2", ("temporary", MAR): "temporary_h2"}
    payrolls = {}
    for month in (JAN, FEB, MAR):
        for programme in (
            "dibao",
            "tekun",
            "elderly",
            "children",
            "disability",
            "veterans",
            "temporary",
            "medical",
            "funeral",
        ):
            payrolls[(programme, month)] = approve(finance, programme, month)
            if (programme, month) in returned:
                p = payrolls[(programme, month)]
                actions.payroll_export(actor=finance["f2"], payroll=p, fmt="csv")
                line = PayrollLine.objects.get(payroll=p, enrolment=e[returned[(programme, month)]])
                actions.bank_return_import(
                    actor=finance["f2"], payroll=p, filename="r.csv", content=f"ref,status\n{line.pk},failed\n".encode()
                )
    cases = {}
    for name, accepted, decided, state, due in (
        ("c1", dt.date(2026, 3, 2), dt.date(2026, 3, 20), "approved", dt.date(2026, 4, 10)),
        ("c2", dt.date(2026, 3, 5), dt.date(2026, 3, 31), "refused", dt.date(2026, 3, 20)),
        ("c3", dt.date(2026, 3, 10), None, "verifying", dt.date(2026, 4, 21)),
        ("c4", dt.date(2026, 2, 10), None, "withdrawn", dt.date(2026, 3, 24)),
    ):
        cases[name] = Case.objects.create(
            programme_id="dibao",
            household=h4,
            applicant=h4.memberships.get().person,
            area_code=h4.area_id,
            created_by=people["caseworker_a"],
            state=state,
            accepted_on=accepted,
            decided_on=decided,
            total_due=due,
        )
    # their timelines: C3 surveyed on 25 March, sent for verification on 2 April; C4 withdrawn on 3 March
    for name, on, move, before, after in (
        ("c3", dt.date(2026, 3, 10), "accept", "draft", "accepted"),
        ("c3", dt.date(2026, 3, 25), "record_survey", "accepted", "surveyed"),
        ("c3", dt.date(2026, 4, 2), "request_verification", "surveyed", "verifying"),
        ("c4", dt.date(2026, 2, 10), "accept", "draft", "accepted"),
        ("c4", dt.date(2026, 3, 3), "withdraw", "accepted", "withdrawn"),
    ):
        CaseEvent.objects.create(
            case=cases[name], on=on, actor=people["caseworker_a"], move=move, from_state=before, to_state=after
        )
    # keyed in today (created_at), dated by when they happened: the statistics count them in March
    op = Overpayment.objects.create(
        enrolment=e["h1"],
        amount=Decimal("120.00"),
        reason="迟报收入",
        raised_on=dt.date(2026, 3, 15),
        created_by=people["caseworker_a"],
    )
    Recovery.objects.create(
        overpayment=op, kind="repayment", amount=Decimal("50.00"), note="退回", recovered_on=dt.date(2026, 3, 20)
    )
    return {"enrolments": e, "payrolls": payrolls, "cases": cases, "people": people, "finance": finance}

"""The children's allowance roster as staff keep it in Excel (issue 15): the list's .xlsx (children.children_list,
one row a child paid, with its number), filled in and imported back — a new child (no number, the full ID number
of a person whose parents' situations are recorded) is granted on the rules, a change of care (散居 / 机构养育)
changes the amount from the next month, 停发 with its reason stops from the next month. The upload is previewed
first (what will change: new, changed, stopped, and every error by row and column), then confirmed: all of it in
one transaction, or nothing if any row has an error. Each change is the same action as on the pages, audited."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from doudi.accounts import scope
from doudi.accounts.roles import Perm
from doudi.accounts.scope import perm_require
from doudi.audit.actions import audit_record
from doudi.audit.models import EventKind
from doudi.cases.actions.enrolments import enrolment_change_record
from doudi.cases.models import LIVE_STATUSES, Enrolment
from doudi.core.cells import xlsx_row
from doudi.core.crypto import blind_index
from doudi.core.errors import ApplicationError, Conflict
from doudi.core.idnumber import id_mask
from doudi.core.money import add_months, fmt, month_start
from doudi.core.uploads import xlsx_open
from doudi.programmes.selectors import params_in_force

from . import children
from .actions import benefit_stop
from .events import BenefitEvent

COLUMNS = (
    "编号",
    "村（社区）",
    "姓名",
    "身份证号",
    "出生日期",
    "类别",
    "养育方式",
    "每月金额（元）",
    "下次复核",
    "年满18周岁",
    "处理",
    "说明",
)
NEEDED = ("编号", "姓名", "身份证号", "养育方式", "处理", "说明")
CARE = {"散居": False, "机构养育": True}
HANDLING = ("", "继续", "停发")
KINDS = {"orphan": "孤儿", "de_facto": "事实无人抚养儿童", "": "待复核"}
ROWS_MAX = 20_000


def roster_xlsx(rows: list[children.ChildRow]) -> bytes:
    """The list as staff keep it: one row a child with its number (to import back), the care and handling columns
    with drop-downs. ID numbers are masked; a new child's row gives the full number."""
    wb = Workbook()
    ws = wb.active
    ws.title = "孤儿和事实无人抚养儿童"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(
            xlsx_row(
                ws,
                [
                    r.enrolment.pk,
                    r.village,
                    r.person.name,
                    id_mask(r.person.id_number),
                    r.person.birth_date,
                    KINDS[r.kind],
                    "机构养育" if r.in_institution else "散居",
                    r.amount,
                    r.next_review_due,
                    r.turns_18,
                    "",
                    "",
                ],
            )
        )
    last = max(ws.max_row, 2) + 200  # room for new children's rows
    for column, choices in (("G", ("散居", "机构养育")), ("K", ("继续", "停发"))):
        rule = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        ws.add_data_validation(rule)
        rule.add(f"{column}2:{column}{last}")
    for column, width in zip("ABCDEFGHIJKL", (8, 16, 10, 22, 12, 18, 10, 14, 12, 12, 8, 30), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class RowChange:
    row: int
    kind: str  # new | changed | stopped
    name: str
    before: str
    after: str


@dataclass
class RowError:
    row: int
    column: str
    message: str
    message_en: str


@dataclass
class RosterImport:
    changes: list[RowChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0

    def of(self, kind: str) -> list[RowChange]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def new(self):
        return self.of("new")

    @property
    def changed(self):
        return self.of("changed")

    @property
    def stopped(self):
        return self.of("stopped")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows(content: bytes) -> tuple[dict[str, int], list[tuple[int, dict[str, str]]]]:
    wb = xlsx_open(content)
    try:
        rows = list(wb.worksheets[0].iter_rows(min_row=1, max_row=ROWS_MAX + 1, values_only=True))
    finally:
        wb.close()
    header = [_text(v) for v in (rows[0] if rows else ())]
    missing = [name for name in NEEDED if name not in header]
    if missing:
        raise ApplicationError(
            f"第1行缺少「{'」「'.join(missing)}」列（请从孤儿保障页面导出后填写）",
            f"Row 1 lacks the columns {', '.join(missing)}; export the list and fill it in",
            field="file",
            code="columns",
        )
    where = {name: header.index(name) for name in NEEDED}
    out = []
    for number, row in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in row]
        if any(cells):
            cells += [""] * (len(header) - len(cells))
            out.append((number, {name: cells[i] for name, i in where.items()}))
    return where, out


@transaction.atomic
def _run(actor, content: bytes, on: dt.date) -> RosterImport:
    """Apply every row (each through its action, in a savepoint), collecting each row's error by row and column;
    the caller keeps or undoes the whole."""
    perm_require(actor, Perm.CASE_DECIDE)
    _where, rows = _rows(content)
    result = RosterImport()
    live = {
        e.pk: e
        for e in scope.visible(actor, "cases.Enrolment")
        .filter(programme_id=children.PROGRAMME, status__in=LIVE_STATUSES)
        .select_related("person")
    }
    seen: set[int] = set()
    month = add_months(month_start(on), 1)
    for number, cells in rows:

        def error(column, zh, en, number=number):
            result.errors.append(RowError(number, column, zh, en))

        handling, care = cells["处理"], cells["养育方式"]
        if handling not in HANDLING:
            error("处理", f"「处理」应为空、继续或停发，现为 {handling}", "Handling is empty, 继续 or 停发")
            continue
        if care and care not in CARE:
            error("养育方式", f"「养育方式」应为散居或机构养育，现为 {care}", "Care is 散居 or 机构养育")
            continue
        try:
            with transaction.atomic():
                change = _row(actor, cells, live, seen, on, month, number, error)
        except ApplicationError as e:
            error(_column(e.field), e.zh, e.en)
            continue
        if change is None:
            result.unchanged += 1
        elif change is not False:
            result.changes.append(change)
    return result


COLUMN_OF = {"reason": "说明", "person": "身份证号", "programme": "身份证号", "enrolment": "编号", "month": "处理"}


def _column(field_name: str | None) -> str:
    return COLUMN_OF.get(field_name or "", "身份证号")


def _row(actor, cells, live, seen, on, month, number, error):
    """One row: a new child, a change of care, a stop, or nothing. Returns the change, None (unchanged) or False
    (an error was recorded)."""
    ident, name = cells["编号"], cells["姓名"]
    if not ident:
        return _new(actor, cells, on, number, error)
    if not ident.isdigit() or int(ident) not in live:
        error("编号", f"「编号」{ident} 不是本辖区正在发放的儿童", f"Number {ident} is not a child paid in your area")
        return False
    enrolment = live[int(ident)]
    if int(ident) in seen:
        error("编号", f"编号 {ident} 在表中出现了两次", f"Number {ident} appears twice")
        return False
    seen.add(int(ident))
    if name != enrolment.person.name:
        error(
            "姓名",
            f"「姓名」：编号 {ident} 是 {enrolment.person.name}，表中写的是 {name or '（空）'}",
            f"Number {ident} is {enrolment.person.name}, the file says {name}",
        )
        return False
    if cells["处理"] == "停发":
        reason = cells["说明"]
        if not reason:
            error("说明", "停发须在「说明」中写明理由", "A stop needs its reason")
            return False
        benefit_stop(actor=actor, enrolment=enrolment, month=month, reason=reason, on=on)
        return RowChange(number, "stopped", name, f"{fmt(enrolment.monthly_amount)} 元/月", f"{month:%Y-%m} 起停发")
    wanted = CARE.get(cells["养育方式"])
    if wanted is None or wanted == (enrolment.support_mode == "centralised"):
        return None
    before = enrolment.monthly_amount
    amount = children_care_change(actor=actor, enrolment=enrolment, in_institution=wanted, on=on)
    return RowChange(
        number,
        "changed",
        name,
        f"{'机构养育' if not wanted else '散居'} {fmt(before)} 元/月",
        f"{cells['养育方式']} {fmt(amount)} 元/月（{month:%Y-%m} 起）",
    )


def _new(actor, cells, on, number, error):
    id_number = cells["身份证号"].upper()
    if not id_number:
        error("身份证号", "新增儿童须填写完整的身份证号（编号留空）", "A new child needs the full ID number")
        return False
    person = scope.persons_visible(actor).filter(id_index=blind_index(id_number, domain="id_number")).first()
    if person is None:
        error(
            "身份证号", f"本辖区没有身份证号为 {id_mask(id_number)} 的人员", "No person of that ID number in your area"
        )
        return False
    if cells["姓名"] and cells["姓名"] != person.name:
        error("姓名", f"「姓名」：该身份证号是 {person.name}", f"That ID number is {person.name}")
        return False
    enrolment = children.children_grant(
        actor=actor, person=person, on=on, in_institution=cells["养育方式"] == "机构养育", note="名册导入"
    )
    return RowChange(
        number,
        "new",
        person.name,
        "",
        f"{cells['养育方式'] or '散居'} {fmt(enrolment.monthly_amount)} 元/月（{enrolment.start_month:%Y-%m} 起）",
    )


def children_care_change(*, actor, enrolment: Enrolment, in_institution: bool, on: dt.date):
    """A child moves into (or out of) a welfare institution: the amount from the next month (inside the caller's
    transaction; the roster import calls it)."""
    perm_require(actor, Perm.CASE_DECIDE)
    e = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if e.status not in LIVE_STATUSES:
        raise Conflict("该儿童已停发", "The allowance has stopped", field="enrolment")
    params = params_in_force(children.PROGRAMME, on, area=e.area_code).values
    amount = params["allowance_institution" if in_institution else "allowance_scattered"]
    month = add_months(month_start(on), 1)
    enrolment_change_record(
        e, amount=amount, month=month, actor=actor, reason="养育方式变化：" + ("机构养育" if in_institution else "散居")
    )
    e.support_mode = "centralised" if in_institution else "scattered"
    e.save(update_fields=["support_mode"])
    audit_record(
        actor=actor,
        action=BenefitEvent.CHILDREN_CARE_CHANGE,
        target=e,
        area_code=e.area_code,
        household_id=e.household_id,
        new={"in_institution": in_institution, "amount": amount, "month": month},
    )
    return amount


class _Undo(Exception):
    pass


def children_roster_preview(*, actor, content: bytes, on: dt.date) -> RosterImport:
    """What importing the file would do — every change and every error — with nothing saved."""
    try:
        with transaction.atomic():
            result = _run(actor, content, on)
            raise _Undo(result)
    except _Undo as undone:
        return undone.args[0]


def children_roster_import(*, actor, content: bytes, on: dt.date) -> RosterImport:
    """Apply the file: all of it, or nothing when any row has an error (then refused naming the first)."""
    try:
        with transaction.atomic():
            result = _run(actor, content, on)
            if result.errors:
                raise _Undo(result)
            audit_record(
                actor=actor,
                action=BenefitEvent.CHILDREN_ROSTER_IMPORT,
                kind=EventKind.BATCH,
                label="孤儿保障名册导入",
                area_code=actor.scope_prefix.ljust(12, "0"),
                new={
                    "added": len(result.new),
                    "changed": len(result.changed),
                    "stopped": len(result.stopped),
                    "unchanged": result.unchanged,
                },
            )
            return result
    except _Undo as undone:
        first = undone.args[0].errors[0]
        raise ApplicationError(
            f"名册有 {len(undone.args[0].errors)} 处错误，未导入任何内容：第{first.row}行「{first.column}」{first.message}",
            f"The roster has errors; nothing was imported (row {first.row}, {first.column})",
            field="file",
            code="rows",
        ) from None

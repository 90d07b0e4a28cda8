"""The old-age allowance roster confirmed by the village (domain.md §5a; the programme's procedure, step 2).

Each month ``elderly_roster_build`` (actions.py) computes who is paid what from the registry; here that becomes
one roster per village (community), which the village's cadre confirms person by person — present, moved, died
or disputed, with a note for anything but present — on the page, through the API, or by filling in the exported
.xlsx and importing it. Only lines marked present reach the payroll (``PAYMENT_GATE``, registered with
doudi/payments): a village that has not confirmed is shown to its township, and its people are paid as arrears by
the first payroll after it confirms. A line already paid cannot be marked otherwise afterwards."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from doudi.accounts.roles import Perm
from doudi.accounts.scope import covers, perm_require
from doudi.audit.actions import audit_record
from doudi.cases.models import Enrolment
from doudi.core.actions import action
from doudi.core.cells import xlsx_row
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.idnumber import id_mask
from doudi.core.uploads import xlsx_open
from doudi.core.validation import text_clean
from doudi.payments.generation import PaymentGate
from doudi.payments.models import EntryKind, LedgerEntry

from .events import BenefitEvent
from .models import ElderlyRoster, ElderlyRosterLine, RosterMark, RosterState

NOTE_MAX = 200

# The set-based payroll pays an enrolment's month when the village marked it present; the exact path asks for the
# confirmed months of a batch of enrolments (doudi/payments/generation.py, PaymentGate).
GATE_SQL = """EXISTS (SELECT 1 FROM benefits_elderlyrosterline g
                      WHERE g.enrolment_id = e.id AND g.month = %s AND g.mark = 'present')"""


def confirmed_months(lo: int, hi: int) -> set[tuple[int, dt.date]]:
    return set(
        ElderlyRosterLine.objects.filter(
            enrolment_id__gte=lo, enrolment_id__lte=hi, mark=RosterMark.PRESENT
        ).values_list("enrolment_id", "month")
    )


PAYMENT_GATE = PaymentGate(sql=GATE_SQL, confirmed=confirmed_months)


@dataclass
class SyncResult:
    rosters: int = 0
    lines_added: int = 0
    lines_removed: int = 0
    reopened: int = 0


def roster_lines_sync(*, month: dt.date, prefix: str, paid: list[tuple[Enrolment, Decimal]]) -> SyncResult:
    """Make each village's roster for ``month`` hold exactly the people ``paid`` (the builder's result for the
    area ``prefix``), inside the builder's transaction: new people come in unmarked (and reopen a roster the
    village had confirmed), amounts follow the registry, and people no longer paid (died or moved out in the
    registry) leave the roster unless their month was already paid. Marks already made stay."""
    result = SyncResult()
    wanted = {e.pk: (e, amount) for e, amount in paid}
    rosters: dict[str, ElderlyRoster] = {
        r.area_code: r
        for r in ElderlyRoster.objects.filter(month=month, area_code__startswith=prefix).select_for_update()
    }
    existing = {
        line.enrolment_id: line
        for line in ElderlyRosterLine.objects.filter(month=month, roster__area_code__startswith=prefix)
    }
    paid_ids = set(
        LedgerEntry.objects.filter(month=month, kind=EntryKind.PAYMENT, enrolment_id__in=list(existing))
        .values_list("enrolment_id", flat=True)
        .distinct()
    )
    gone = [line.pk for eid, line in existing.items() if eid not in wanted and eid not in paid_ids]
    if gone:
        ElderlyRosterLine.objects.filter(pk__in=gone).delete()
        result.lines_removed = len(gone)
    changed, new_lines, reopen = [], [], set()
    for eid, (enrolment, amount) in sorted(wanted.items()):
        line = existing.get(eid)
        if line is not None:
            if line.amount != amount:
                line.amount = amount
                changed.append(line)
            continue
        roster = rosters.get(enrolment.area_code)
        if roster is None:
            roster = rosters[enrolment.area_code] = ElderlyRoster.objects.create(
                area_code=enrolment.area_code, month=month
            )
            result.rosters += 1
        elif roster.state == RosterState.CONFIRMED:
            reopen.add(roster.pk)
        new_lines.append(
            ElderlyRosterLine(
                roster=roster, enrolment=enrolment, person_id=enrolment.person_id, month=month, amount=amount
            )
        )
    ElderlyRosterLine.objects.bulk_create(new_lines, batch_size=1000)
    ElderlyRosterLine.objects.bulk_update(changed, ["amount"], batch_size=1000)
    result.lines_added = len(new_lines)
    if reopen:
        result.reopened = ElderlyRoster.objects.filter(pk__in=reopen).update(
            state=RosterState.OPEN, confirmed_by=None, confirmed_at=None
        )
    return result


@dataclass(frozen=True)
class Mark:
    """One person's mark as the village gives it: ``row`` names it in an error (a line of the file, or the
    position in the API's list), ``label`` as the reader knows it (the row number, or "lines.3")."""

    line_id: int
    mark: str
    note: str = ""
    label: str = ""


MARK_WORDS = {
    **{value: value for value in RosterMark.values},
    **{str(label): value for value, label in RosterMark.choices},
    "属实": RosterMark.PRESENT,
    "在册": RosterMark.PRESENT,
    "迁出": RosterMark.MOVED,
    "死亡": RosterMark.DIED,
    "疑问": RosterMark.DISPUTED,
}


def _where(m: Mark, index: int) -> tuple[str, str, str]:
    """How an error names the line: Chinese, English, and the field."""
    label = m.label or f"第{index + 1}项"
    return label, m.label or f"item {index + 1}", f"lines.{index}"


def _fail(errors: list | None, error: ApplicationError) -> None:
    """Refuse (``errors`` None), or collect the error and read on (a preview)."""
    if errors is None:
        raise error
    errors.append(error)


@action
def elderly_roster_confirm(
    *, actor, roster: ElderlyRoster, marks: list[Mark], errors: list | None = None
) -> ElderlyRoster:
    """The village confirms its roster: every person marked present, moved, died or disputed (a note for all but
    present), all at once or nothing. A roster may be confirmed again (a correction) until its people are paid:
    a line already paid stays present. Given ``errors``, each mark's error is collected there instead (the preview
    runs it in a transaction it rolls back)."""
    perm_require(actor, Perm.ROSTER_CONFIRM)
    roster = ElderlyRoster.objects.select_for_update().filter(pk=roster.pk).first()
    if roster is None or not covers(actor, roster.area_code):
        raise NotFound(field="roster")
    lines = {
        line.pk: line
        # the person's name for the messages; not the sealed fields, which nothing here reads (each costs a decryption)
        for line in roster.lines.select_related("person")
        .defer("person__id_number", "person__disability_card", "person__diagnosis")
        .order_by("pk")
    }
    paid = set(
        LedgerEntry.objects.filter(
            month=roster.month, kind=EntryKind.PAYMENT, enrolment_id__in=[x.enrolment_id for x in lines.values()]
        ).values_list("enrolment_id", flat=True)
    )
    seen: dict[int, str] = {}
    now = timezone.now()
    changed: dict[tuple, list[int]] = {}  # (mark, note) → the lines given it
    for i, m in enumerate(marks):
        zh, en, field = _where(m, i)
        line = lines.get(m.line_id)
        if line is None:
            _fail(
                errors,
                ApplicationError(
                    f"{zh}：本名册没有编号为 {m.line_id} 的人员（请使用本村本月导出的名册）",
                    f"{en}: no person numbered {m.line_id} in this roster (use this village's roster of this month)",
                    field=field,
                    code="unknown_line",
                ),
            )
            continue
        if m.line_id in seen:
            _fail(
                errors,
                ApplicationError(
                    f"{zh}：{line.person.name}（编号 {m.line_id}）与{seen[m.line_id]}重复",
                    f"{en}: {m.line_id} is given twice",
                    field=field,
                    code="duplicate",
                ),
            )
            continue
        seen[m.line_id] = zh
        value = MARK_WORDS.get((m.mark or "").strip())
        if value is None or value == RosterMark.PENDING:
            _fail(
                errors,
                ApplicationError(
                    f"{zh}「核实结果」：{line.person.name} 须填写 属实、已迁出、已死亡 或 有疑问",
                    f"{en} (result): {line.person.name} must be present, moved, died or disputed",
                    field=f"{field}.mark",
                    code="invalid_choice",
                ),
            )
            continue
        try:
            note = text_clean(
                m.note or "",
                field=f"{field}.note",
                zh_label=f"{zh}「说明」",
                en_label=f"{en} note",
                max_length=NOTE_MAX,
            )
        except ApplicationError as e:
            _fail(errors, e)
            continue
        if value != RosterMark.PRESENT and not note:
            _fail(
                errors,
                ApplicationError(
                    f"{zh}「说明」：{line.person.name} 标为「{RosterMark(value).label}」，须写明情况（如迁往何处、死亡日期）",
                    f"{en} (note): {line.person.name} is marked {value}; say what happened",
                    field=f"{field}.note",
                    code="required",
                ),
            )
            continue
        if line.enrolment_id in paid and value != RosterMark.PRESENT:
            _fail(
                errors,
                ApplicationError(
                    f"{zh}：{line.person.name} 本月已发放，不能再改为「{RosterMark(value).label}」（请按追回多发资金办理）",
                    f"{en}: {line.person.name} is already paid for the month; recover the payment instead",
                    field=f"{field}.mark",
                    code="already_paid",
                ),
            )
            continue
        if (line.mark, line.note) != (value, note):
            line.mark, line.note = value, note
            line.marked_by, line.marked_at = actor, now
            changed.setdefault((value, note), []).append(line.pk)
    missing = [line for pk, line in lines.items() if pk not in seen]
    if missing:
        names = "、".join(f"{x.person.name}（编号 {x.pk}）" for x in missing[:5])
        more = f"等{len(missing)}人" if len(missing) > 5 else ""
        _fail(
            errors,
            ApplicationError(
                f"名册中还有人员未核实：{names}{more}，须全部核实后才能确认",
                f"{len(missing)} people of the roster are not marked; mark everyone before confirming",
                field="lines",
                code="incomplete",
            ),
        )
    if errors:
        return roster
    # the lines given the same mark and note, one UPDATE each (usually one: everyone present)
    for (mark, note), pks in changed.items():
        ElderlyRosterLine.objects.filter(pk__in=pks).update(mark=mark, note=note, marked_by=actor, marked_at=now)
    old = {"state": roster.state}
    roster.state, roster.confirmed_by, roster.confirmed_at = RosterState.CONFIRMED, actor, now
    roster.save(update_fields=["state", "confirmed_by", "confirmed_at"])
    counts = Counter(line.mark for line in lines.values())
    audit_record(
        actor=actor,
        action=BenefitEvent.ROSTER_CONFIRM,
        target=roster,
        area_code=roster.area_code,
        old=old,
        new={
            "state": roster.state,
            "month": roster.month,
            **{mark: counts.get(mark, 0) for mark in RosterMark.values if mark != RosterMark.PENDING},
            "held": [
                {"person": x.person_id, "mark": x.mark, "note": x.note}
                for x in lines.values()
                if x.mark != RosterMark.PRESENT
            ],
        },
    )
    return roster


# ---- the .xlsx the village fills in ------------------------------------------------------------------------------
HEADER_ROW = 3
COLUMNS = ("编号", "姓名", "身份证号", "出生日期", "本月金额（元）", "核实结果", "说明")
MARK_CHOICES = ("属实", "已迁出", "已死亡", "有疑问")


def roster_xlsx(roster: ElderlyRoster, *, village_name: str) -> bytes:
    """The roster as the village fills it in: one row a person (the ID number masked), a 核实结果 column with a
    drop-down (属实/已迁出/已死亡/有疑问) and a 说明 column, prefilled with the marks already made."""
    wb = Workbook()
    ws = wb.active
    ws.title = "高龄津贴名册"
    ws.append(xlsx_row(ws, [f"高龄津贴名册：{village_name} {roster.month.year}年{roster.month.month}月"]))
    ws.append(xlsx_row(ws, ["村（社区）代码", roster.area_code, "名册月份", f"{roster.month:%Y-%m}"]))
    ws.append(list(COLUMNS))
    for cell in ws[HEADER_ROW]:
        cell.font = Font(bold=True)
    words = {
        RosterMark.PRESENT: "属实",
        RosterMark.MOVED: "已迁出",
        RosterMark.DIED: "已死亡",
        RosterMark.DISPUTED: "有疑问",
    }
    for line in roster.lines.select_related("person").order_by("pk"):
        p = line.person
        ws.append(
            xlsx_row(
                ws,
                [line.pk, p.name, id_mask(p.id_number), p.birth_date, line.amount, words.get(line.mark, ""), line.note],
            )
        )
    last = max(ws.max_row, HEADER_ROW + 1)
    choice = DataValidation(type="list", formula1='"' + ",".join(MARK_CHOICES) + '"', allow_blank=True)
    choice.error, choice.errorTitle = "请从下拉列表中选择：属实、已迁出、已死亡、有疑问", "核实结果"
    ws.add_data_validation(choice)
    choice.add(f"F{HEADER_ROW + 1}:F{last}")
    for column, width in zip("ABCDEFG", (8, 12, 22, 12, 14, 10, 40), strict=True):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def roster_marks_from_xlsx(roster: ElderlyRoster, content: bytes, errors: list | None = None) -> list[Mark]:
    """The marks of a filled-in roster file, each naming its row; refuses a file of another village or month, a
    missing column, or a row whose number and name do not match this roster (or, given ``errors``, collects each
    row's error there and reads on: the preview)."""
    wb = xlsx_open(content)
    try:
        ws = wb.worksheets[0]
        rows = list(ws.iter_rows(min_row=1, max_row=HEADER_ROW + 20_000, values_only=True))
    finally:
        wb.close()
    second = [_cell_text(v) for v in (rows[1] if len(rows) > 1 else ())]
    if len(second) < 4 or second[1] != roster.area_code or second[3] != f"{roster.month:%Y-%m}":
        raise ApplicationError(
            f"这不是本村（社区）{roster.month.year}年{roster.month.month}月的名册：第2行应为村（社区）代码 "
            f"{roster.area_code} 和名册月份 {roster.month:%Y-%m}（请从本名册页面导出后填写）",
            f"This is not the roster of {roster.area_code} for {roster.month:%Y-%m} (row 2); export it from this page",
            field="file",
            code="wrong_roster",
        )
    header = [_cell_text(v) for v in (rows[HEADER_ROW - 1] if len(rows) >= HEADER_ROW else ())]
    where = {}
    for name in ("编号", "姓名", "核实结果", "说明"):
        if name not in header:
            raise ApplicationError(
                f"第{HEADER_ROW}行缺少「{name}」列", f"Row {HEADER_ROW} lacks the column {name}", field="file"
            )
        where[name] = header.index(name)
    names = dict(roster.lines.values_list("pk", "person__name"))
    marks: list[Mark] = []
    for number, row in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        cells = [_cell_text(v) for v in row]
        if not any(cells):
            continue
        cells += [""] * (max(where.values()) + 1 - len(cells))
        get = dict(zip(where, (cells[i] for i in where.values()), strict=True)).get
        label = f"第{number}行"
        ident = get("编号")
        if not ident.isdigit() or int(ident) not in names:
            _fail(
                errors,
                ApplicationError(
                    f"{label}「编号」：{ident or '（空）'} 不是本名册的人员编号",
                    f"Row {number} (number): {ident or '(empty)'} is not a person of this roster",
                    field="file",
                    code="unknown_line",
                    extra={"row": number, "column": "编号"},
                ),
            )
            continue
        if get("姓名") != names[int(ident)]:
            _fail(
                errors,
                ApplicationError(
                    f"{label}「姓名」：编号 {ident} 是 {names[int(ident)]}，表中写的是 {get('姓名') or '（空）'}",
                    f"Row {number} (name): number {ident} is {names[int(ident)]}, the file says {get('姓名')}",
                    field="file",
                    code="name_mismatch",
                    extra={"row": number, "column": "姓名"},
                ),
            )
            continue
        marks.append(Mark(int(ident), get("核实结果"), get("说明"), label))
    return marks


@action
def elderly_roster_import(*, actor, roster: ElderlyRoster, content: bytes) -> ElderlyRoster:
    """Confirm a roster from its filled-in .xlsx: the same checks as on the page, row by row; whole or nothing."""
    perm_require(actor, Perm.ROSTER_CONFIRM)
    if not covers(actor, roster.area_code):
        raise NotFound(field="roster")
    return elderly_roster_confirm(actor=actor, roster=roster, marks=roster_marks_from_xlsx(roster, content))


@dataclass
class RosterPreview:
    """What importing a filled-in roster would do: each person's mark changed (row, name, before, after), the
    people left as they are, and every error by row and column — nothing saved."""

    changes: list[tuple[str, str, str, str]]
    errors: list[ApplicationError]
    unchanged: int = 0


class _Undo(Exception):
    pass


def elderly_roster_preview(*, actor, roster: ElderlyRoster, content: bytes) -> RosterPreview:
    """The import run in a transaction rolled back: the same checks, every error collected."""
    perm_require(actor, Perm.ROSTER_CONFIRM)
    if not covers(actor, roster.area_code):
        raise NotFound(field="roster")
    errors: list[ApplicationError] = []
    marks = roster_marks_from_xlsx(roster, content, errors)  # a file of another roster is refused outright
    try:
        with transaction.atomic():
            elderly_roster_confirm(actor=actor, roster=roster, marks=marks, errors=errors)
            raise _Undo
    except _Undo:
        pass
    lines = {line.pk: line for line in roster.lines.select_related("person")}
    changes, unchanged = [], 0
    for m in marks:
        line, value = lines.get(m.line_id), MARK_WORDS.get((m.mark or "").strip())
        if line is None or value is None or value == RosterMark.PENDING:
            continue
        note = (m.note or "").strip()
        if (line.mark, line.note) == (value, note):
            unchanged += 1
            continue
        after = str(RosterMark(value).label) + (f"（{note}）" if note else "")
        changes.append((m.label, line.person.name, str(line.get_mark_display()), after))
    return RosterPreview(changes, errors, unchanged)

"""The annual work summary (年度工作总结) in the structure of the seed: main work completed with its figures,
highlights, problems, next year's targets — as Markdown and as .docx, in Chinese or English.

The sentences are in templates the bureau can change: ``zh.md`` and ``en.md`` beside this module, Django templates
whose ``{{ f.CODE }}`` are the catalogue's figures for the year (stocks at the last month paid, flows for the year
to date), ``{{ t.CODE }}`` the year's targets, ``{{ c.CODE }}`` their completion and ``{{ next_t.CODE }}`` next year's
targets. A bureau's own version, ``summary-zh.md`` or ``summary-en.md`` in the data folder (``DOUDI_DATA_DIR``), is used
instead when present. The .docx is built from the Markdown: ``#`` title, ``##`` and ``###`` headings, paragraphs."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.conf import settings
from django.template import Context as TemplateContext
from django.template import Engine
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from doudi.areas.models import Area
from doudi.core.errors import ApplicationError
from doudi.payments.models import Payroll, PayrollKind
from doudi.payments.reports import PAID_STATES

from ..catalogue import Context
from ..selectors import figures_of_areas, targets_for

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")
ENGINE = Engine(autoescape=False)


def template_text(lang: str) -> str:
    own = Path(settings.DATA_DIR) / f"summary-{lang}.md"
    return (own if own.exists() else HERE / f"{lang}.md").read_text(encoding="utf-8")


def last_month_paid(year: int, prefix: str) -> dt.date | None:
    """The year's last month with an approved regular payroll (the summary's "as of")."""
    return (
        Payroll.objects.filter(
            month__year=year, kind=PayrollKind.REGULAR, state__in=PAID_STATES, area_prefix__startswith=prefix[:6]
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def summary_context(year: int, *, user=None, prefix: str | None = None) -> dict:
    if prefix is None and user is None:  # the command line: the county, when the database holds one
        counties = list(Area.objects.filter(level="county").values_list("prefix", flat=True)[:2])
        prefix = counties[0] if len(counties) == 1 else ""
    ctx = Context(user, prefix)
    county_prefix = ctx.prefix
    month = last_month_paid(year, county_prefix)
    if month is None:
        raise ApplicationError(
            f"{year}年没有已审批的发放表，无法生成工作总结",
            f"No approved payroll in {year}: there is nothing to summarise",
            field="year",
            code="nothing_paid",
        )
    f, t, c = {}, {}, {}
    for fig in figures_of_areas(ctx, [ctx.prefix], month)[ctx.prefix]:  # set-based, every indicator at once
        code, ind = fig.indicator.code, fig.indicator
        f[code] = fig.year_to_date if ind.cumulative else fig.value
        if fig.target is not None:
            t[code], c[code] = fig.target, fig.completion
    area = Area.objects.filter(prefix=county_prefix).first()
    return {
        "county": area.name if area else "",
        "year": year,
        "next_year": year + 1,
        "as_of": f"{month.month}月底",
        "as_of_en": f"the end of {month:%B}",
        "period": f"1—{month.month}月" if month.month > 1 else "1月",
        "period_en": f"January–{month:%B}" if month.month > 1 else "January",
        "f": f,
        "t": t,
        "c": c,
        "next_t": targets_for(ctx, year + 1),
    }


def summary_markdown(year: int, *, lang: str = "zh", user=None, prefix: str | None = None) -> str:
    if lang not in LANGS:
        raise ApplicationError("语言应为 zh 或 en", "The language is zh or en", field="lang", code="invalid_choice")
    context = summary_context(year, user=user, prefix=prefix)
    return ENGINE.from_string(template_text(lang)).render(TemplateContext(context)).strip() + "\n"


def _font(run_or_style, *, size: float, bold: bool = False) -> None:
    font = run_or_style.font
    font.name, font.size, font.bold = "SimSun", Pt(size), bold
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def markdown_docx(text: str) -> bytes:
    """The summary's Markdown as a Word document: title centred, headings, paragraphs with a two-character indent."""
    doc = Document()
    _font(doc.styles["Normal"], size=12)
    for block in [b.strip() for b in text.split("\n\n") if b.strip()]:
        if block.startswith("# "):
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(block[2:].strip()), size=18, bold=True)
        elif block.startswith("## ") or block.startswith("### "):
            level = 1 if block.startswith("## ") else 2
            p = doc.add_paragraph()
            _font(p.add_run(block.lstrip("#").strip()), size=15 if level == 1 else 13, bold=True)
        else:
            p = doc.add_paragraph(" ".join(line.strip() for line in block.splitlines()))
            p.paragraph_format.first_line_indent = Pt(24)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def summary_docx(year: int, *, lang: str = "zh", user=None, prefix: str | None = None) -> bytes:
    return markdown_docx(summary_markdown(year, lang=lang, user=user, prefix=prefix))

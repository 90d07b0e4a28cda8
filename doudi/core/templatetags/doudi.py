from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from doudi.core.idnumber import account_mask, id_mask
from doudi.core.labels import hukou_label, month_label
from doudi.core.labels import said as _said
from doudi.core.workdays import years_missing

register = template.Library()


@register.simple_tag
def querystring_page(querystring: str, page: int) -> str:
    params = [(k, v) for k, v in parse_qsl(querystring or "") if k != "page"]
    return urlencode([*params, ("page", page)])


@register.filter
def mask_id(value):
    return id_mask(value)


@register.filter
def mask_account(value):
    return account_mask(value)


@register.filter
def yuan(value):
    """Money as the bureau writes it: two decimals, thousands grouped (2,300.00); an amount kept as text ("2300.5")
    likewise; None is empty (for default), anything else is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)) or not Decimal(value).is_finite():
        return value
    return f"{value:,.2f}"


@register.filter
def figure(value):
    """A statistical figure as the bureau reads it: counts and money grouped by thousands (12,345 · 1,234,567.89),
    its decimals as computed (a figure kept as text in a snapshot, "12345.60", likewise); None stays None (for
    default_if_none), anything else is shown as it is."""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
        if not value.is_finite():
            return str(value)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, float)):
        return value
    return f"{value:,}"


def calendar_note_text(years: tuple[int, ...]) -> str:
    return _("%(years)s年节假日安排尚未发布（或尚未载入），截止日按周末推算，以后可能变动") % {
        "years": "、".join(str(y) for y in years)
    }


@register.simple_tag
def calendar_gap(start, due, complete, years, visible=False):
    """The ⚠ beside a deadline counted across a year with no official calendar, saying which year and what it
    means: in the ⚠'s title always, and written out beside it with ``visible``."""
    if complete or due is None:
        return ""
    missing = years_missing(start, due, years) or (due.year,)
    note = calendar_note_text(missing)
    if visible:
        return format_html('<span class="warn" title="{}">⚠ <small>{}</small></span>', note, note)
    return format_html('<span class="warn" title="{}" aria-label="{}">⚠</span>', note, note)


@register.filter
def said(value):
    """The current language's half of something that carries both (``{"zh": …, "en": …}``, a move, an error)."""
    return _said(value)


@register.filter
def month(value):
    """A month as people write it: 2026年11月, or November 2026."""
    return month_label(value)


@register.filter
def hukou(code):
    """Urban or rural, in the reader's language."""
    return hukou_label(code)

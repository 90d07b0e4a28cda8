from urllib.parse import parse_qsl, urlencode

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from doudi.core.idnumber import account_mask, id_mask
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
    return "" if value is None else f"{value:,.2f}"


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

from urllib.parse import parse_qsl, urlencode

from django import template

from doudi.core.idnumber import account_mask, id_mask
from doudi.core.labels import hukou_label, month_label
from doudi.core.labels import said as _said

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

from urllib.parse import parse_qsl, urlencode

from django import template

from doudi.core.idnumber import account_mask, id_mask

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

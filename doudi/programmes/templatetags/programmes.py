from django import template

from doudi.core.labels import said
from doudi.programmes.rules.operators import EXCLUSION_TEXT

register = template.Library()


@register.filter
def exclusion(code):
    """Why a member is not counted, in the reader's language (the decision stores the reason's code)."""
    if not code:
        return ""
    return said(*EXCLUSION_TEXT[code]) if code in EXCLUSION_TEXT else code

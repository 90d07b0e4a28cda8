from django import template

from doudi.audit import details as d
from doudi.audit.events import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    """The event's name in the reader's language."""
    return _action_label(action)


@register.filter
def details(event, which: str) -> list:
    """An event's ``old`` or ``new`` values as (field name, value) pairs, translated and masked."""
    return d.details(getattr(event, which), event.target_type)


@register.filter
def actor_text(label: str) -> str:
    return d.actor_text(label)


@register.filter
def target_text(event) -> str:
    """What the event was about: the label stored with it (Chinese, with names), or in English its kind and id."""
    return d.target_text(event)

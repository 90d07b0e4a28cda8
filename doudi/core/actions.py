"""Helpers shared by every app's actions module."""

from __future__ import annotations

import functools

from django.db import transaction


def action(func):
    """Run an action in one transaction: its change and its audit event commit together or not at all."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic():
            return func(*args, **kwargs)

    return wrapper

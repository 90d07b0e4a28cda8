"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from .money import CENT


class FenField(models.BigIntegerField):
    """Money that is Decimal yuan in Python and an integer number of fen in the database.

    For the tables written a million rows at a time by one statement (batch evaluation results): an integer
    column is what the statement computes anyway (every set-based amount is integer fen, so SQLite and
    PostgreSQL agree exactly), is narrower than NUMERIC, and needs no conversion per row — measured on a
    million households in docs/benchmarks.md. Everything in Python still sees ``Decimal("123.45")``: reading,
    saving, lookups and ``Sum`` go through this field. A value with more than two decimals is refused, never
    rounded here (rounding happens only where a rule names it)."""

    description = "Money (yuan, stored as integer fen)"

    def from_db_value(self, value, expression, connection):
        return None if value is None else Decimal(int(value)).scaleb(-2)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValidationError("金额格式不正确 / not an amount", code="invalid") from None

    def get_prep_value(self, value):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if isinstance(value, float):
            raise TypeError("money must not be a float")
        amount = self.to_python(value)
        if amount != amount.quantize(CENT):
            raise ValueError(f"{amount} has more than two decimals")
        return int(amount.scaleb(2))

    def formfield(self, **kwargs):
        return forms.DecimalField(max_digits=14, decimal_places=2, **kwargs)

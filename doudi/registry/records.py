"""Validation of household records (incomes, expenditures, assets, business roles, supporters).

A ModelForm per record model does the field work (choices, decimals, validators), so the web form, the API
and the import share one set of rules.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from django import forms
from django.db import models

from doudi.core.errors import ApplicationError
from doudi.core.money import money_parse

from .choices import IncomeKind
from .models import Income, Person


class _RecordFormBase(forms.ModelForm):
    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "person" in self.fields:
            self.fields["person"].queryset = (
                Person.objects.filter(memberships__household=household, memberships__end_date__isnull=True)
                if household is not None
                else Person.objects.none()
            )

    def clean(self):
        data = super().clean()
        if self._meta.model is Income and data.get("support_from") and data.get("kind") != IncomeKind.SUPPORT_RECEIVED:
            self.add_error("support_from", "只有“收到的赡养费”需要填写来源 / Source applies only to support received")
        return data


@cache
def record_form_class(model) -> type[forms.ModelForm]:
    fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "household")]
    return forms.modelform_factory(model, form=_RecordFormBase, fields=fields)


def _money_fields(model, data) -> dict:
    """Amounts (and floor areas) through the shared money parser first: no exponent notation, NaN or Infinity,
    at most two decimals, within what the column holds."""
    data = data.copy() if hasattr(data, "copy") else dict(data)
    for f in model._meta.concrete_fields:
        if isinstance(f, models.DecimalField) and data.get(f.name) not in (None, ""):
            maximum = Decimal(10) ** (f.max_digits - f.decimal_places) - Decimal("0.01")
            label = str(f.verbose_name)
            data[f.name] = str(
                money_parse(data.get(f.name), field=f.name, zh_label=label, en_label=f.name, maximum=maximum)
            )
    return data


def record_clean(model, data: dict, *, household) -> dict:
    data = _money_fields(model, data)
    form = record_form_class(model)(data=data, household=household)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        label = form.fields[field].label if field in form.fields else field
        text = "；".join(str(e) for e in errors)
        raise ApplicationError(
            f"{label}：{text}",
            f"{field}: {text}",
            field=field,
            code="invalid_record",
            extra={"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}},
        )
    return {k: v for k, v in form.cleaned_data.items() if k in form._meta.fields}

"""The parameter form: one typed field per parameter of the programme's schema (params.SPECS), with its label,
unit and help text, checked field by field by the same parser the API and the policy pack use."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils import translation

from doudi.core.errors import ApplicationError

from .params import SPECS, ParamSpec, param_value_parse

PERCENT = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,2})?$")


def english() -> bool:
    return (translation.get_language() or "").startswith("en")


def _initial(spec: ParamSpec, value):
    """A parsed value as the form shows it (a ratio as a percentage)."""
    if value is None:
        return None
    if spec.kind == "money":
        return f"{Decimal(value):.2f}"
    if spec.kind == "ratio":
        return f"{(Decimal(value) * 100).normalize():f}"
    if spec.kind in ("number", "int"):
        return f"{Decimal(value).normalize():f}"
    return value


class ParameterForm(forms.Form):
    """``programme``'s parameters, initially ``current`` (the values in force, parsed)."""

    def __init__(self, programme: str, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.specs = SPECS[programme]
        self.values: dict = {}
        en = english()
        current = current or {}
        for spec in self.specs:
            label, help_text = spec.label(en), spec.help_en if en else spec.help
            invalid = f"{label}: not one of the choices" if en else f"{label}：不是可选的值"
            unit = "%" if spec.kind == "ratio" else (spec.unit_en if en else spec.unit)
            if spec.kind == "bool":
                field = forms.BooleanField(required=False)
            elif spec.kind == "choice":
                field = forms.ChoiceField(
                    required=False,
                    choices=[(c, spec.choice_label(c, en)) for c in spec.choices],
                    error_messages={"invalid_choice": invalid},
                )
            elif spec.kind == "list":
                field = forms.MultipleChoiceField(
                    required=False,
                    choices=[(c, spec.choice_label(c, en)) for c in spec.choices],
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"invalid_choice": invalid, "invalid_list": invalid},
                )
            else:
                mode = "numeric" if spec.kind == "int" else "decimal"
                field = forms.CharField(
                    required=False,
                    max_length=40,
                    widget=forms.TextInput(attrs={"inputmode": mode, "class": "num", "autocomplete": "off"}),
                )
            field.label, field.help_text = label, help_text
            field.unit, field.spec = unit, spec
            field.initial = _initial(spec, current.get(spec.name))
            self.fields[spec.name] = field

    def _stored(self, spec: ParamSpec, raw):
        """What the person typed, in the stored form (a percentage becomes a ratio)."""
        if spec.kind == "ratio":
            text = (raw or "").strip()
            if not text:
                raise ApplicationError(f"{spec.zh}：不能为空", f"{spec.en}: is required", field=spec.name)
            if not PERCENT.match(text) or Decimal(text) > 100:
                raise ApplicationError(
                    f"{spec.zh}：须为0到100之间的百分数，最多两位小数（{text[:30]}）",
                    f"{spec.en}: must be a percentage from 0 to 100 with at most two decimals ({text[:30]})",
                    field=spec.name,
                )
            return f"{(Decimal(text) / 100).normalize():f}"
        if spec.kind == "int":
            text = (raw or "").strip()
            if not re.fullmatch(r"[0-9]{1,6}", text):
                raise ApplicationError(
                    f"{spec.zh}：须为整数{f'（{text[:30]}）' if text else ''}",
                    f"{spec.en}: must be a whole number",
                    field=spec.name,
                )
            return int(text)
        if spec.kind == "choice" and not raw:
            raise ApplicationError(f"{spec.zh}：请选择", f"{spec.en}: choose one", field=spec.name)
        if spec.kind == "list":
            return list(raw or [])
        return raw

    def clean(self):
        data = super().clean()
        en = english()
        for spec in self.specs:
            if spec.name in self.errors:
                continue
            try:
                value = param_value_parse(spec, self._stored(spec, data.get(spec.name)))
            except ApplicationError as e:
                self.add_error(spec.name, e.en if en else e.zh)
            else:
                self.values[spec.name] = f"{value:f}" if isinstance(value, Decimal) else value
        return data

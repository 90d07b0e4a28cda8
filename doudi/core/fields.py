"""Model fields shared by the apps."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.lookups import Exact

from .crypto import blind_index, is_sealed, value_open, value_seal
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


class _EmptyOnlyExact(Exact):
    """On an encrypted column only ``== ""`` can be asked (encryption is randomised: equal values differ)."""

    def __init__(self, lhs, rhs):
        if rhs not in ("", None):
            raise TypeError(
                f"{lhs.target.name} is encrypted: search it through its blind index (doudi.core.crypto.blind_index)"
            )
        super().__init__(lhs, rhs)


class EncryptedTextField(models.TextField):
    """Personal data encrypted at rest (doudi/core/crypto.py, SM4-GCM or AES-256-GCM, with the key id in each
    value). ``domain`` names the kind of data ("id_number", "bank_account", …) and is the associated data, so a
    value can be copied between columns of the same kind by SQL (a payroll line takes the person's ID number
    without decrypting it) but does not decrypt in a column of another kind. Reading decrypts; writing
    encrypts; equality search goes through a blind index column kept beside it, never through this one."""

    def __init__(self, *args, domain: str = "", **kwargs):
        self.domain = domain
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "domain": self.domain}

    def formfield(self, **kwargs):
        # a one-line text box (its max_length, if any, checked as for a CharField), not a text area
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    def from_db_value(self, value, expression, connection):
        return value if value is None else value_open(value, column=self.domain)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or hasattr(value, "resolve_expression") or is_sealed(value):
            return value
        return value_seal(str(value), column=self.domain)

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyOnlyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return None


def last4(value: str) -> str:
    return value[-4:] if value else ""


class BlindIndexField(models.CharField):
    """A keyed index of another (encrypted) field, for equality search and matching: HMAC-SM3 of the source
    value (or of ``transform(value)``, e.g. its last 4 characters) in its own ``domain``. Filled on every save
    from the source field, and by ``core.bulk.TableWriter`` from the row; search with ``blind_index(value,
    domain=…)``. Empty source → NULL (when the field allows it) or ""."""

    def __init__(self, *args, source: str = "", domain: str = "", transform=None, **kwargs):
        self.source, self.domain, self.transform = source, domain, transform
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, domain=self.domain)
        if self.transform is not None:
            kwargs["transform"] = self.transform
        for k in ("max_length", "editable", "blank"):
            kwargs.pop(k, None)
        return name, path, args, kwargs

    def index_of(self, value) -> str | None:
        if value and self.transform is not None:
            value = self.transform(value)
        return blind_index(value, domain=self.domain) if value else (None if self.null else "")

    def pre_save(self, model_instance, add):
        value = self.index_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value

    def derive(self, row: dict):
        """The index for a TableWriter row (a dict of attnames)."""
        return self.index_of(row.get(self.source))


class BlindIndexed(models.Model):
    """A model with blind indexes: ``save(update_fields=[source])`` also saves the index kept from it."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None:
            extra = {
                f.name for f in self._meta.concrete_fields if isinstance(f, BlindIndexField) and f.source in fields
            }
            kwargs["update_fields"] = {*fields, *extra}
        super().save(*args, **kwargs)


def sealed_fields(model, relation: str = "") -> list[str]:
    """The names of ``model``'s sealed columns (EncryptedTextField), prefixed with ``relation__`` when given: what a
    list that shows none of them defers (``qs.defer(*sealed_fields(Household, "household"))``), so reading a page
    of rows decrypts nothing. Reading a deferred value later costs a query per row: only for lists whose templates
    never show these fields (the query-count tests of those pages would see it)."""
    return [
        f"{relation}__{f.name}" if relation else f.name
        for f in model._meta.concrete_fields
        if isinstance(f, EncryptedTextField)
    ]

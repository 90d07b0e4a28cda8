"""The programmes beyond dibao and tekun, paid through the same payroll: where a grant's money goes when it is
not the household's account (the funeral home), and the funeral homes themselves. A grant is an enrolment
(doudi/cases ``Enrolment``) with the decision recorded as its case; a one-off payment is an enrolment for one
month (start and end the month paid), so the payroll, ledger, bank file and return treat it as any other line."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.core.fields import EncryptedTextField


class FuneralHome(models.Model):
    """A funeral home the county pays basic funeral fee waivers to (docs/programmes.md)."""

    name = models.CharField(_("殡仪馆名称"), max_length=100, unique=True)
    area_code = models.CharField(max_length=12, db_index=True)
    bank_account = EncryptedTextField(_("银行账号"), max_length=32, domain="bank_account")
    account_holder = models.CharField(_("账户名"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Payee(models.Model):
    """Whom a grant is paid to when it is not the household: the funeral home of a funeral waiver."""

    enrolment = models.OneToOneField("cases.Enrolment", on_delete=models.PROTECT, related_name="+")
    funeral_home = models.ForeignKey(FuneralHome, on_delete=models.PROTECT, related_name="payees")

"""The registry's audit event types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.audit.events import register


class RegistryEvent(models.TextChoices):
    HOUSEHOLD_REGISTER = "household.register", _("登记家庭")
    HOUSEHOLD_UPDATE = "household.update", _("修改家庭信息")
    PERSON_ADD = "person.add", _("增加家庭成员")
    PERSON_UPDATE = "person.update", _("修改成员信息")
    PERSON_MOVE = "person.move", _("成员迁入其他家庭")
    PERSON_LEAVE = "person.leave", _("成员离开家庭")
    IMPORT = "registry.import", _("批量导入家庭")
    FACTS_REBUILD = "registry.facts_rebuild", _("重算批量测算数据")


class RecordEvent(models.TextChoices):
    """Records of a household (the model's name, and what was done to it)."""

    INCOME_ADD = "income.add", _("登记收入")
    INCOME_UPDATE = "income.update", _("修改收入")
    INCOME_DELETE = "income.delete", _("删除收入")
    EXPENDITURE_ADD = "expenditure.add", _("登记刚性支出")
    EXPENDITURE_UPDATE = "expenditure.update", _("修改刚性支出")
    EXPENDITURE_DELETE = "expenditure.delete", _("删除刚性支出")
    FINANCIALASSET_ADD = "financialasset.add", _("登记金融资产")
    FINANCIALASSET_UPDATE = "financialasset.update", _("修改金融资产")
    FINANCIALASSET_DELETE = "financialasset.delete", _("删除金融资产")
    VEHICLE_ADD = "vehicle.add", _("登记车辆")
    VEHICLE_UPDATE = "vehicle.update", _("修改车辆")
    VEHICLE_DELETE = "vehicle.delete", _("删除车辆")
    HOME_ADD = "home.add", _("登记房产")
    HOME_UPDATE = "home.update", _("修改房产")
    HOME_DELETE = "home.delete", _("删除房产")
    BUSINESSROLE_ADD = "businessrole.add", _("登记经营主体身份")
    BUSINESSROLE_UPDATE = "businessrole.update", _("修改经营主体身份")
    BUSINESSROLE_DELETE = "businessrole.delete", _("删除经营主体身份")
    SUPPORTER_ADD = "supporter.add", _("登记赡养人")
    SUPPORTER_UPDATE = "supporter.update", _("修改赡养人")
    SUPPORTER_DELETE = "supporter.delete", _("删除赡养人")

    @classmethod
    def of(cls, model, verb: str) -> RecordEvent:
        return cls(f"{model._meta.model_name}.{verb}")


register(RegistryEvent, RecordEvent)

"""Forms render fields, labels and errors. Validation itself lives in validation.py and the actions, which
raise ApplicationError; ``apply_error`` puts such an error on the field it names."""

from __future__ import annotations

import re

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from doudi.core.errors import ApplicationError

from .choices import DisabilityKind, Employment, HukouType, LabourCapacity, Relation, Sex
from .validation import account_check_warning


def _blank(choices):
    return [("", "—")] + list(choices)


class HouseholdForm(forms.Form):
    area = forms.ChoiceField(label=_("户籍所在村/社区"), help_text=_("户籍不在本县的，选在本县居住的村/社区"))
    hukou_type = forms.ChoiceField(label=_("户籍类型"), choices=HukouType.choices)
    hukou_place = forms.CharField(
        label=_("户籍所在地（非本县户籍）"),
        required=False,
        max_length=100,
        help_text=_("本县户籍留空；外县（市）户籍的流动人员填写户籍所在地，如“四川省仁寿县文林镇”"),
    )
    residence_permit = forms.BooleanField(label=_("持本县居住证"), required=False)
    address = forms.CharField(label=_("居住地址"), required=False, max_length=200)
    phone = forms.CharField(label=_("联系电话"), required=False, max_length=20)
    bank_name = forms.CharField(label=_("开户银行"), required=False, max_length=60)
    bank_account = forms.CharField(label=_("银行账号"), required=False, max_length=32)
    account_holder = forms.CharField(label=_("账户户名"), required=False, max_length=50)
    account_confirmed = forms.BooleanField(
        label=_("卡号已核对无误（如存折账号没有校验位），仍然保存"),
        required=False,
    )

    def __init__(self, *args, villages=(), ask_account_confirmation=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_account_confirmation:  # shown only once a card number has failed its check digit
            del self.fields["account_confirmed"]
        self.fields["area"].choices = _blank(
            (a.code, f"{a.parent.name if a.parent else ''} {a.name}") for a in villages
        )


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, required=False, help_text=_("有身份证号时，性别和出生日期由号码自动得出")
    )
    relation = forms.ChoiceField(label=_("与户主关系"), choices=_blank(Relation.choices), required=False)
    sex = forms.ChoiceField(label=_("性别"), choices=_blank(Sex.choices), required=False)
    birth_date = forms.CharField(label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    student = forms.BooleanField(label=_("在校学生"), required=False)
    labour_capacity = forms.ChoiceField(label=_("劳动能力"), choices=LabourCapacity.choices, required=False)
    employment = forms.ChoiceField(label=_("就业状况"), choices=_blank(Employment.choices), required=False)
    disability_kind = forms.ChoiceField(label=_("残疾类别"), choices=_blank(DisabilityKind.choices), required=False)
    disability_grade = forms.ChoiceField(
        label=_("残疾等级"), choices=_blank([(i, format_lazy(_("{}级"), i)) for i in range(1, 5)]), required=False
    )
    disability_card = forms.CharField(label=_("残疾证号"), required=False, max_length=30)
    serious_illness = forms.BooleanField(label=_("认定重病"), required=False)
    diagnosis = forms.CharField(label=_("诊断"), required=False, max_length=100)
    adl_eating = forms.BooleanField(label=_("不能自主进食"), required=False)
    adl_dressing = forms.BooleanField(label=_("不能自主穿衣"), required=False)
    adl_bed = forms.BooleanField(label=_("不能自主上下床"), required=False)
    adl_toilet = forms.BooleanField(label=_("不能自主如厕"), required=False)
    adl_walking = forms.BooleanField(label=_("不能室内行走"), required=False)
    adl_bathing = forms.BooleanField(label=_("不能自主洗澡"), required=False)
    deceased = forms.BooleanField(label=_("已死亡"), required=False)
    died_on = forms.DateField(
        label=_("死亡日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    in_prison = forms.BooleanField(label=_("服刑"), required=False)
    compulsory_rehab = forms.BooleanField(label=_("强制隔离戒毒"), required=False)
    missing = forms.BooleanField(label=_("宣告失踪"), required=False)
    clergy_away = forms.BooleanField(label=_("出家3年以上"), required=False)

    BASIC = ("name", "id_number", "relation", "sex", "birth_date")
    WORK = ("student", "labour_capacity", "employment")
    HEALTH = ("disability_kind", "disability_grade", "disability_card", "serious_illness", "diagnosis")
    ADL = ("adl_eating", "adl_dressing", "adl_bed", "adl_toilet", "adl_walking", "adl_bathing")
    STATUS = ("deceased", "died_on", "in_prison", "compulsory_rehab", "missing", "clergy_away")

    def groups(self):
        return [
            (_("基本信息"), [self[f] for f in self.BASIC]),
            (_("就学与就业"), [self[f] for f in self.WORK]),
            (_("残疾与疾病"), [self[f] for f in self.HEALTH]),
            (_("六项日常生活活动"), [self[f] for f in self.ADL]),
            (_("特殊状态"), [self[f] for f in self.STATUS]),
        ]

    def data_dict(self) -> dict:
        """Raw values as the actions expect them (validation is theirs). A value the form field itself refused
        (too long, not one of the choices) is passed on as typed, so the action refuses it and names why,
        instead of it going missing."""
        self.is_valid()
        data = dict(self.cleaned_data)
        for name in self.errors:
            if name in self.fields:
                data[name] = self.data.get(self.add_prefix(name))
        return data


class MoveForm(forms.Form):
    to_household = forms.IntegerField(label=_("迁入家庭户编号"))
    relation = forms.ChoiceField(label=_("在新家庭中与户主关系"), choices=Relation.choices)
    on = forms.DateField(label=_("迁移日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因"), required=False, max_length=100)


class LeaveForm(forms.Form):
    on = forms.DateField(label=_("离开日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("原因（如死亡、迁出本县）"), max_length=100)


def apply_error(form: forms.Form, error: ApplicationError, *, strip_prefix: str = "") -> None:
    """Attach an ApplicationError to the field it names, or to the whole form."""
    field = error.field or ""
    if strip_prefix and field.startswith(strip_prefix):
        field = field[len(strip_prefix) :]
    form.add_error(field if field in form.fields else None, error.message)


def account_unconfirmed(request, form_class, form_kwargs: dict, *, stored: str | None = None):
    """A bank card number that fails its check digit is warned about, not refused: the first time, the form comes
    back (every value kept) with "卡号校验位不符，请核对" on the account and a box to tick; saved once ticked, or
    once the number is corrected. An unchanged stored account is not asked about again. Returns the form to show
    again, or None to go on saving."""
    account = re.sub(r"\s", "", request.POST.get("bank_account", ""))
    warning = account_check_warning(account)
    if not warning or account == (stored or None) or request.POST.get("account_confirmed"):
        return None
    form = form_class(request.POST, ask_account_confirmation=True, **form_kwargs)
    form.is_valid()
    form.add_error("bank_account", warning)
    return form

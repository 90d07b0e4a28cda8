"""An audit event's details for people: the changed fields by their names, the values formatted (choices by their
labels, areas by their names, yes/no, money and dates as written), personal numbers masked — never raw JSON.

The names come from the models themselves (each field's ``verbose_name``, each choice's label, each model's
``verbose_name``), so a new field is named where it is declared; FIELD_LABELS names the keys that are not model
fields. Everything is translated at display time: the stored event stays as it was written.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from doudi.core.idnumber import account_mask, id_mask
from doudi.core.labels import english, month_label, said, split_stored

from .events import SensitiveField

SENSITIVE_KEYS = {"id_number": id_mask, "bank_account": account_mask, "account": account_mask}
FIELD_LABELS = {
    "members": _("家庭成员"),
    "relation": _("与户主关系"),
    "household": _("家庭"),
    "person": _("人员"),
    "count": _("数量"),
    "field": _("查看内容"),
    "values": _("参数值"),
    "replaced": _("替代的版本"),
    "reversed": _("冲回金额"),
    "left": _("剩余应追回"),
    "anomaly": _("异常"),
    "export": _("银行文件"),
    "fmt": _("文件格式"),
    "layout": _("文件格式"),
    "total": _("合计"),
    "sha256": _("文件校验值"),
    "prefix": _("令牌前缀"),
    "programmes": _("申请项目"),
    "materials": _("已交材料"),
    "missing": _("缺少的材料"),
    "move": _("办理环节"),
    "from_state": _("原状态"),
    "to_state": _("新状态"),
    "case": _("案件"),
    "enrolment": _("保障对象"),
    "payroll": _("发放表"),
    "lines": _("发放人数"),
    "full_ids": _("含完整身份证号的笔数"),
    "month": _("月份"),
    "on": _("日期"),
    "reason": _("原因"),
    "end_date": _("结束日期"),
    "amount": _("金额"),
    "area": _("所属区划"),
    "area_code": _("所属区划"),
    "programme": _("救助项目"),
    "effective_from": _("生效日期"),
    "username": _("用户名"),
    "cases": _("案件"),
    "referrals": _("转办"),
    "set_based_lines": _("批量写入的发放行"),
    "exact_path_lines": _("逐户核算的发放行"),
    "enrolments_read_by_exact_path": _("逐户核算的保障对象"),
    "created_by": _("创建人"),
    "size": _("文件大小"),
    "document": _("案件材料"),
    "households": _("家庭数"),
    "draft": _("参数草稿"),
    "totals": _("合计"),
    "eligible_households": _("符合条件户"),
    "eligible_people": _("保障人数"),
    "monthly_total": _("月资金（元）"),
    "baseline_run": _("对照测算"),
    "batch": _("批次"),
    "submitted_on": _("报县审批日期"),
    "requested_on": _("申请核对日期"),
    "opinion": _("审核意见"),
    "recommends": _("同意纳入"),
    "results": _("核对结果"),
    "survey": _("入户调查"),
}
NESTED = {"members": "person"}  # whose fields a list of objects under this key holds
UPPER = {"fmt"}  # file formats: CSV, XLSX
OMIT = {"sha256", "stored_name", "content_type", "key_hash", "version"}  # checksums and internals: not for people
_REGISTERED_FIELDS: dict[str, tuple[str, str]] = {}
_REGISTERED_VALUES: dict = {}  # code: (Chinese, English), or a translatable label


def register_fields(names: dict[str, tuple[str, str]]) -> None:
    """Names (Chinese, English) of keys an app writes into events that are not model fields (e.g. parameters)."""
    _REGISTERED_FIELDS.update(names)


def register_values(values: dict) -> None:
    """Names (Chinese, English) of code values an app writes into events that are not model choices."""
    _REGISTERED_VALUES.update(values)


TARGET_TYPES = {  # (Chinese, English): the English is singular here ("Case #21"), unlike the menu's "Cases"
    "case": ("案件", "Case"),
    "application": ("申请", "Application"),
    "enrolment": ("保障对象", "Enrolment"),
    "payroll": ("发放表", "Payroll"),
    "parameterversion": ("参数版本", "Parameter version"),
    "evaluationrun": ("批量测算", "Batch evaluation"),
    "document": ("案件材料", "Case document"),
    "overpayment": ("应追回款", "Overpayment"),
    "changereport": ("变化情况", "Change report"),
    "apitoken": ("接口令牌", "API token"),
    "areas": ("行政区划", "Areas"),
    "batch": ("批量作业", "Batch job"),
    "calendar": ("节假日安排", "Holiday calendar"),
    "export": ("导出", "Export"),
    "job": ("后台任务", "Background job"),
    "household": ("家庭", "Household"),
    "person": ("人员", "Person"),
    "staff": ("工作人员", "Staff account"),
    "monitoringentry": ("低收入人口监测记录", "Low-income register entry"),
}
# Keys whose values are the numbers of other records (shown as "#12"), and those that name staff accounts.
REFERENCES = {"survey", "case", "cases", "anomaly", "export", "document", "enrolment", "payroll", "replaced",
              "household", "person", "application", "draft", "baseline_run"}  # fmt: skip
STAFF_KEYS = {"surveyors", "created_by", "approved_by", "generated_by"}
MONTH = re.compile(r"^\d{4}-\d{2}-01$")
AREA_CODE = re.compile(r"^\d{12}$")


@cache
def _fields() -> dict[str, object]:
    """Every model field by name: the first declaration wins (the names mean the same across the apps)."""
    found: dict[str, object] = {}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if getattr(f, "concrete", False) and f.name not in found and not f.name.endswith("_ptr"):
                found[f.name] = f
    return found


def _model(target_type: str):
    for model in apps.get_models():
        if model._meta.model_name == target_type:
            return model
    return None


def field_label(key: str, model=None) -> str:
    """A key of the details by its name: the target model's field, a name given here or registered by an app, or
    any model's field of that name."""
    if key.endswith("_id"):  # a foreign key's column: named as the object it points to
        return field_label(key[:-3], model)
    if model is not None:
        f = next((x for x in model._meta.get_fields() if x.name == key and getattr(x, "concrete", False)), None)
        if f is not None and str(f.verbose_name) != key.replace("_", " "):
            return str(f.verbose_name)
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    if key in _REGISTERED_FIELDS:
        return said(*_REGISTERED_FIELDS[key])
    f = _fields().get(key)
    if f is not None and str(f.verbose_name) != key.replace("_", " "):
        return str(f.verbose_name)
    return key.replace("_", " ")


def target_type_label(target_type: str) -> str:
    if target_type in TARGET_TYPES:
        return said(*TARGET_TYPES[target_type])
    model = _model(target_type)
    return str(model._meta.verbose_name) if model is not None else target_type


def _area_name(code: str) -> str:
    area = apps.get_model("areas", "Area").objects.filter(pk=code).only("name").first()
    return area.name if area else code


def _programme_name(code: str) -> str | None:
    p = apps.get_model("programmes", "Programme").objects.filter(pk=code).first()
    return p.name if p else None


def _said(label) -> str:
    return said(*label) if isinstance(label, tuple) else str(label)


def value_text(key: str, value, model=None) -> str:
    """One value as people read it: personal numbers masked, choices by their labels (the target model's first),
    areas and programmes by their names, yes/no."""
    if key in SENSITIVE_KEYS and isinstance(value, str):
        return SENSITIVE_KEYS[key](value)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    if key in STAFF_KEYS and isinstance(value, (int, list)):
        ids = value if isinstance(value, list) else [value]
        staff = {s.pk: s for s in apps.get_model("accounts", "Staff").objects.filter(pk__in=ids)}
        return str(_("、")).join(str(staff.get(i, f"#{i}")) for i in ids)
    if key.removesuffix("_id") in REFERENCES and isinstance(value, int):
        return f"#{value}"
    if isinstance(value, dict):
        if {"zh", "en"} <= set(value):
            return said(value)
        inner = model
        parts = [
            f"{field_label(k, inner)}{_('：')}{value_text(k, v, inner)}" for k, v in value.items() if k not in OMIT
        ]
        return str(_("；")).join(parts) if parts else "—"
    if isinstance(value, list):
        inner = _model(NESTED[key]) if key in NESTED else model
        return str(_("、")).join(value_text(key, v, inner) for v in value) if value else "—"
    if isinstance(value, str):
        if split_stored(value)[1] is not None:  # stored as "中文 / English"
            return said(value)
        if AREA_CODE.match(value):
            return _area_name(value)
        if key == "month" and MONTH.match(value):
            return month_label(dt.date.fromisoformat(value))
        if key in ("programme", "programmes", "programme_id"):
            name = _programme_name(value)
            if name:
                return name
        if key in UPPER:
            return value.upper()
        if model is not None:
            f = next((x for x in model._meta.get_fields() if x.name == key and getattr(x, "choices", None)), None)
            if f is not None and value in dict(f.flatchoices):
                return str(dict(f.flatchoices)[value])
        if value in _REGISTERED_VALUES:
            return _said(_REGISTERED_VALUES[value])
        named, anywhere = _choices()
        label = named.get(key.removesuffix("_id"), {}).get(value) or anywhere.get(value)
        if label is not None:
            return str(label)
    return str(value)


@cache
def _choices() -> tuple[dict[str, dict], dict]:
    """The choices of every model field: by field name, and all together (a code means one thing here)."""
    named: dict[str, dict] = {}
    anywhere: dict = {}
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if getattr(f, "choices", None):
                flat = dict(f.flatchoices)
                named.setdefault(f.name, {}).update(flat)
                for k, v in flat.items():
                    anywhere.setdefault(k, v)
    return named, anywhere


def details(data, target_type: str = "") -> list[tuple[str, str]]:
    """The event's details as (field name, value) pairs in the reader's language."""
    if not data:
        return []
    model = _model(target_type) if target_type else None
    if not isinstance(data, dict):
        return [("", value_text("", data, model))]
    return [_pair(k, v, model, target_type) for k, v in data.items() if k not in OMIT]


def _pair(key: str, value, model, target_type: str) -> tuple[str, str]:
    # "prefix" is an API token's first characters on a token's events, and elsewhere (a background job, a
    # statistics refresh) the code prefix of the area it covers: named and shown as that area
    if key == "prefix" and target_type != "apitoken" and isinstance(value, str) and value.isdigit():
        area = apps.get_model("areas", "Area").objects.filter(prefix=value).only("name").first()
        return str(_("区划范围")), area.name if area else value
    return field_label(key, model), value_text(key, value, model)


def target_text(event) -> str:
    """What the event was about: the label stored with it (Chinese, with names), or in English its kind and id."""
    if english() or not event.target_label or " object (" in event.target_label:
        kind = target_type_label(event.target_type) if event.target_type else ""
        return f"{kind} #{event.target_id}".strip() if event.target_id else kind
    return event.target_label


def actor_text(label: str) -> str:
    """Who did it: the account's name, or the system itself."""
    return str(_("系统")) if label in ("", "system") else label


def _register_own() -> None:
    register_values({f.value: f.label for f in SensitiveField})


_register_own()

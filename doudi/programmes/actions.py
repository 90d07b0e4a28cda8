"""Programme and parameter-version actions (audited), batch evaluation and what-if simulation."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_get, ensure_not_maker, perm_require
from doudi.areas.models import Area
from doudi.audit.actions import audit_record
from doudi.core.actions import action
from doudi.core.errors import ApplicationError, NotFound
from doudi.core.validation import date_range_check, text_clean

from .events import ProgrammeEvent
from .models import ParameterVersion, Programme, VersionStatus
from .pack import pack_read
from .params import params_dump, params_parse


@action
def policy_pack_load(*, actor, county_code: str, pack: dict) -> int:
    """Load programmes and approved parameter versions for a county (``actor`` None = set-up command).
    Versions already present (same programme, area, date) are left as they are."""
    if actor is not None:
        perm_require(actor, Perm.PARAMETERS_APPROVE)
    try:
        county = Area.objects.get(code=county_code, level="county")
    except Area.DoesNotExist:
        raise ApplicationError(
            f"没有县级区划 {county_code}", f"No county {county_code}", field="county", code="no_county"
        ) from None
    contents = pack_read(pack)  # checked whole first: a refusal saves nothing
    for p in contents.programmes:
        Programme.objects.update_or_create(
            code=p["code"], defaults={k: p[k] for k in ("name_zh", "name_en", "kind", "unit")}
        )
    known = set(Programme.objects.values_list("code", flat=True))
    created = 0
    for i, v in enumerate(contents.versions):
        values, on = v["values"], v["effective_from"]
        if v["programme"] not in known:
            raise ApplicationError(
                f"versions[{i}].programme：{v['programme']} 尚未登记，请在 programmes 中列出",
                f"versions[{i}].programme: {v['programme']} is not set up yet; list it under programmes",
                field=f"versions[{i}].programme",
                code="invalid_pack",
            )
        if ParameterVersion.objects.filter(
            programme_id=v["programme"], area=county, effective_from=on, status=VersionStatus.APPROVED
        ).exists():
            continue
        version = ParameterVersion.objects.create(
            programme_id=v["programme"],
            area=county,
            effective_from=on,
            status=VersionStatus.APPROVED,
            values=values,
            note=v["note"],
            approved_at=timezone.now(),
        )
        created += 1
        audit_record(
            actor=actor,
            action=ProgrammeEvent.PARAMETERS_LOAD,
            target=version,
            area_code=county.code,
            new={"programme": v["programme"], "effective_from": on, "values": values},
        )
    return created


@action
def parameter_version_create(
    *, actor, programme: str, area_code: str, effective_from: dt.date, values: dict, note: str = ""
) -> ParameterVersion:
    """A draft version. Values may be partial for a township override; a county version must be complete."""
    perm_require(actor, Perm.PARAMETERS_EDIT)
    area = area_get(actor, area_code)
    if area.level not in ("county", "township"):
        raise ApplicationError("参数只能按县或乡镇设定", "Parameters are set per county or township", field="area")
    if not Programme.objects.filter(code=programme).exists():
        raise NotFound("没有这个救助项目", "No such programme", field="programme")
    parsed = params_parse(programme, values, partial=area.level == "township")
    date_range_check(effective_from, field="effective_from", zh_label="生效日期", en_label="Effective date")
    note = text_clean(note, field="note", zh_label="说明", en_label="Note", max_length=200)
    version = ParameterVersion.objects.create(
        programme_id=programme,
        area=area,
        effective_from=effective_from,
        values=params_dump(parsed),
        note=note,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=ProgrammeEvent.PARAMETERS_DRAFT,
        target=version,
        area_code=area.code,
        new={"programme": programme, "effective_from": effective_from, "values": params_dump(parsed), "note": note},
    )
    return version


@action
def parameter_version_approve(*, actor, version: ParameterVersion) -> ParameterVersion:
    """Approve a draft (county approver, not the person who drafted it). It then governs decisions from its
    effective date; an earlier approved version for the same date and area is withdrawn."""
    perm_require(actor, Perm.PARAMETERS_APPROVE)
    version = ParameterVersion.objects.select_for_update().get(pk=version.pk)
    area_get(actor, version.area_id)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError("只能批准草稿", "Only a draft can be approved", field="status", code="not_draft")
    ensure_not_maker(actor, version.created_by_id, what="parameter version")
    replaced = ParameterVersion.objects.filter(
        programme_id=version.programme_id,
        area_id=version.area_id,
        effective_from=version.effective_from,
        status=VersionStatus.APPROVED,
    )
    for old in replaced:
        old.status = VersionStatus.WITHDRAWN
        old.save(update_fields=["status"])
    version.status, version.approved_by, version.approved_at = VersionStatus.APPROVED, actor, timezone.now()
    version.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action=ProgrammeEvent.PARAMETERS_APPROVE,
        target=version,
        area_code=version.area_id,
        old={"status": "draft", "replaced": [o.pk for o in replaced]},
        new={"status": "approved"},
    )
    return version


@action
def parameter_version_withdraw(*, actor, version: ParameterVersion) -> ParameterVersion:
    perm_require(actor, Perm.PARAMETERS_EDIT)
    version = ParameterVersion.objects.select_for_update().get(pk=version.pk)
    area_get(actor, version.area_id)
    if version.status != VersionStatus.DRAFT:
        raise ApplicationError("只能撤回草稿", "Only a draft can be withdrawn", field="status", code="not_draft")
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=ProgrammeEvent.PARAMETERS_WITHDRAW,
        target=version,
        area_code=version.area_id,
        old={"status": "draft"},
        new={"status": "withdrawn"},
    )
    return version


def pack_from_file(path: str) -> dict:
    """A county's pack from its JSON file; a file that cannot be read as JSON is refused naming the line."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise ApplicationError(
            f"无法读取文件 {path}：{e.strerror}", f"Cannot read {path}: {e.strerror}", field="file"
        ) from None
    except UnicodeDecodeError:
        raise ApplicationError(f"{path} 不是 UTF-8 编码的文本", f"{path} is not UTF-8 text", field="file") from None
    except json.JSONDecodeError as e:
        raise ApplicationError(
            f"{path} 不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列）",
            f"{path} is not valid JSON (line {e.lineno}, column {e.colno})",
            field="file",
        ) from None

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Router
from pydantic import Field

from doudi.accounts.roles import Perm
from doudi.accounts.scope import area_get, areas_visible, perm_require
from doudi.api.schemas import AreaOut

from .models import AreaLevel

router = Router(tags=["areas"])


def _out(a) -> dict:
    return {"code": a.code, "name": a.name, "level": a.level, "kind": a.kind, "parent_code": a.parent_id}


@router.get("", response=list[AreaOut], summary="Areas in my scope")
def area_list(
    request, level: Literal[("", *AreaLevel.values)] = "", parent: Annotated[str, Field(pattern=r"^([0-9]{12})?$")] = ""
):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    qs = areas_visible(request.user)
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent_id=parent)
    return [_out(a) for a in qs]


@router.get("/{code}", response=AreaOut)
def area_detail(request, code: Annotated[str, Field(max_length=12, pattern=r"^[0-9]{1,12}$")]):
    perm_require(request.user, Perm.REGISTRY_VIEW)
    return _out(area_get(request.user, code))

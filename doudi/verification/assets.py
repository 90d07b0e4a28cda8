"""Whether a household's assets clearly exceed the dibao asset limits, from what it declared and from the
departments' newest data: the reasons a discovery is not proposed as likely eligible [domain.md §2 "Assets",
D21 §14; the limits are the dibao parameters in force: financial_asset_months, vehicle_livelihood_max,
home_area_per_member_max].

Each source is judged on its own (a car in the registry and the same car in the vehicle office's data are not
added together), and only what the limits clearly exclude counts:

- financial assets (bank and securities balances, and the housing provident fund balance) above
  ``financial_asset_months`` × the standard × the members; the larger of the declared and the departments' sum;
- a vehicle other than a disability mobility vehicle, unless it is the household's one livelihood vehicle worth at
  most ``vehicle_livelihood_max``: in the vehicle office's data (which says nothing about the use) two vehicles or
  more (besides a declared disability vehicle), or one bought for more than that;
- two homes or more with more than ``home_area_per_member_max`` m² of floor area per member;
- a member who is legal representative, shareholder or executive of a registered enterprise (a family workshop
  with no employees is allowed).
"""

from __future__ import annotations

from decimal import Decimal

from doudi.registry.choices import BusinessRoleKind, VehiclePurpose
from doudi.registry.models import BusinessRole, FinancialAsset, Home, Vehicle

from .report import newest_records, record_values

ASSET_KINDS = ("financial", "housing_fund", "vehicle", "real_estate", "business")
CENT = Decimal("0.01")
ZERO = Decimal("0")


def _money(value) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else ZERO
    except ArithmeticError:
        return ZERO


def assets_over_limits(
    *, household_id: int, person_ids: list[int], counted: int, standard: Decimal, params: dict
) -> list[tuple[str, str]]:
    """The reasons (Chinese, English) the household's assets clearly exceed the limits; empty when none does."""
    counted = max(counted, 1)
    found: dict[str, list[dict]] = {k: [] for k in ASSET_KINDS}
    for (_person, kind), records in newest_records(person_ids).items():
        if kind in found:
            found[kind].extend(record_values(r) for r in records)
    reasons = []

    limit = (Decimal(str(params["financial_asset_months"])) * standard * counted).quantize(CENT)
    declared = sum((a.amount for a in FinancialAsset.objects.filter(household_id=household_id)), ZERO)
    balances = sum((_money(r.get("balance")) for r in found["financial"]), ZERO)
    fund = sum((_money(r.get("balance")) for r in found["housing_fund"]), ZERO)
    financial = max(declared, balances + fund)
    if financial > limit:
        zh_fund = f"，含住房公积金余额 {fund} 元" if fund and financial != declared else ""
        en_fund = f", housing provident fund {fund} included" if fund and financial != declared else ""
        reasons.append(
            (
                f"金融资产 {financial} 元{zh_fund}，超过上限 {limit} 元（{params['financial_asset_months']} 个月"
                f"保障标准 × {counted} 人）",
                f"Financial assets {financial}{en_fund}, over the limit {limit} "
                f"({params['financial_asset_months']} months of the standard × {counted})",
            )
        )

    vmax = Decimal(str(params["vehicle_livelihood_max"]))
    declared_vehicles = list(Vehicle.objects.filter(household_id=household_id))
    others = [v for v in declared_vehicles if v.purpose != VehiclePurpose.DISABILITY]
    mobility = len(declared_vehicles) - len(others)  # a declared disability vehicle is one of those registered
    registry_over = len(others) > 1 or (
        len(others) == 1 and (others[0].purpose != VehiclePurpose.LIVELIHOOD or others[0].value > vmax)
    )
    prices = [_money(r.get("price")) for r in found["vehicle"]]
    dearest = max(prices, default=ZERO)
    if len(prices) > 1 + mobility or dearest > vmax:
        reasons.append(
            (
                f"车管部门登记机动车 {len(prices)} 辆，最高购置价 {dearest} 元（仅允许一辆不超过 {vmax} 元的生计用车）",
                f"{len(prices)} vehicle(s) registered, dearest bought for {dearest} (only one livelihood vehicle "
                f"worth at most {vmax} is allowed)",
            )
        )
    elif registry_over:
        reasons.append(
            (
                f"申报车辆 {len(others)} 辆，不符合规定（仅允许残疾人代步车或一辆不超过 {vmax} 元的生计用车）",
                f"{len(others)} declared vehicle(s) not allowed (only a disability vehicle or one livelihood vehicle "
                f"worth at most {vmax})",
            )
        )

    area_max = Decimal(str(params["home_area_per_member_max"]))
    for zh_source, en_source, areas in (
        ("不动产登记", "Real estate register", [_money(r.get("floor_area_m2")) for r in found["real_estate"]]),
        ("申报", "Declared", [h.floor_area_m2 for h in Home.objects.filter(household_id=household_id)]),
    ):
        per = (sum(areas, ZERO) / counted).quantize(CENT)
        if len(areas) >= 2 and per > area_max:
            reasons.append(
                (
                    f"{zh_source}房屋 {len(areas)} 套，人均建筑面积 {per} 平方米，超过 {area_max} 平方米",
                    f"{en_source}: {len(areas)} homes, {per} m² per member, over {area_max} m²",
                )
            )
            break

    enterprises = [r for r in found["business"] if r.get("role")]
    declared_roles = BusinessRole.objects.filter(household_id=household_id).exclude(
        role=BusinessRoleKind.FAMILY_WORKSHOP, employees=0
    )
    if enterprises:
        names = "、".join(sorted({str(r.get("enterprise") or "") for r in enterprises if r.get("enterprise")}))
        reasons.append(
            (
                f"市场监管部门登记为企业法定代表人、股东或高管（{names}）",
                f"Legal representative, shareholder or executive of an enterprise ({names})",
            )
        )
    elif declared_roles.exists():
        reasons.append(
            (
                "申报为企业法定代表人、股东或高管，或雇工经营",
                "Declared as running or owning an enterprise, or a workshop with employees",
            )
        )
    return reasons

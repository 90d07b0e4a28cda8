"""English for the demo county's history: the tekun support mode and institution."""

EN = {
    "分散供养": "Scattered (at home)",
    "集中供养": "Centralised (in an institution)",
    "供养方式": "Support mode",
    "供养机构": "Institution",
}

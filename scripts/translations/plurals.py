"""English where one Chinese word is both one thing and many: 家庭 heads a column of one household per row
("Household"), and names the menu's group of household pages ("Households", context 菜单)."""

EN = {
    "菜单\x04家庭": "Households",
}

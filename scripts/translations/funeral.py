"""English for the basic funeral fee waiver's pages (2026-12-02): the grant for a deceased person with its preview,
the area's waivers and funeral homes."""

EN = {
    "殡葬费用减免": "Funeral waivers",
    "基本殡葬服务费用减免": "Basic funeral fee waiver",
    "导出殡葬费用减免名单": "Funeral waiver list exported",
    "不属于基本殡葬服务，不减免": "Not a basic service: not waived",
    "每天不超过 %(cap)s 元，至多 %(days)s 天": "Up to %(cap)s yuan a day, at most %(days)s days",
    "不超过 %(cap)s 元": "Up to %(cap)s yuan",
    "已办理殡葬费用减免 %(amount)s 元，付给%(home)s，列入 %(month)s 的殡葬费用减免发放表": (
        "Funeral waiver of %(amount)s yuan granted, paid to %(home)s in the funeral waiver payroll of %(month)s"
    ),
    "已登记殡仪馆：%(name)s": "Funeral home registered: %(name)s",
    "%(d)s 死亡": "died %(d)s",
    "已办理殡葬费用减免：减免 %(a)s 元，列入 %(m)s 的殡葬费用减免发放表": (
        "Funeral waiver granted: %(a)s yuan waived, in the funeral waiver payroll of %(m)s"
    ),
    "付给%(h)s": "paid to %(h)s",
    "返回个人页面": "Back to the person's page",
    "此人尚未登记死亡，不能办理殡葬费用减免。": "This person's death is not recorded: no funeral waiver can be granted yet.",
    "请先在其个人页面登记死亡（对本人享受的各救助项目同时生效），再办理减免。": (
        "Record the death on the person's page first (it acts on every programme the person receives), then grant "
        "the waiver."
    ),
    "前往个人页面登记死亡": "Record the death on the person's page",
    "按殡仪馆的实际收费逐项减免，每项不超过上限，其他服务不减免；减免款直接拨付殡仪馆，家属无需垫付。每位逝者只减免一次。": (
        "Each service is waived at the funeral home's actual fee up to its cap, and other services are not waived; "
        "the waiver is paid straight to the funeral home, so the family pays nothing. One waiver per deceased."
    ),
    "收费与测算时不同，已按现在填写的收费重新测算，请核对后再确认。": (
        "The fees differ from those calculated: calculated again with the fees now given. Check them, then confirm."
    ),
    "殡仪馆（减免款付给殡仪馆）": "Funeral home (the waiver is paid to it)",
    "还没有登记殡仪馆：": "No funeral home registered yet: ",
    "服务项目": "Service",
    "减免上限": "Cap",
    "收费（元）": "Fee (yuan)",
    "天数": "Days",
    "遗体冷藏天数": "Cold storage days",
    "减免合计 %(a)s 元，直接拨付殡仪馆，列入 %(m)s 的殡葬费用减免发放表": (
        "Waived in all %(a)s yuan, paid straight to the funeral home in the funeral waiver payroll of %(m)s"
    ),
    "不予减免": "Nothing waived",
    "减免金额（元）": "Waived (yuan)",
    "（%(n)s 天）": "(%(n)s days)",
    "修改后重新测算": "Calculate again",
    "确认减免": "Confirm the waiver",
    "测算": "Calculate",
    "逝者的基本殡葬服务费用按项目上限减免，减免款直接拨付殡仪馆。办理减免：在逝者的个人页面点击“办理殡葬费用减免”（须先登记死亡）。": (
        "The deceased's basic funeral services are waived up to each service's cap and paid straight to the funeral "
        'home. To grant a waiver, open the deceased\'s page and choose "Grant the funeral waiver" (the death is '
        "recorded first)."
    ),
    "减免名单": "Waivers",
    "逝者": "Deceased",
    "未生成": "Not generated",
    "没有殡葬费用减免": "No funeral waivers",
    "登记日期": "Registered on",
    "还没有登记殡仪馆": "No funeral home registered yet",
    "所在区划": "Area",
    "办理殡葬费用减免": "Grant the funeral waiver",
    "殡仪馆及其收款账户": "Funeral homes and their accounts",
    "添加殡仪馆": "Add a funeral home",
    "按殡仪馆的实际收费逐项减免，减免款直接拨付殡仪馆": (
        "Each service waived at the funeral home's fee up to its cap, paid straight to the funeral home"
    ),
}

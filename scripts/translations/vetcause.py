"""English for veterans' disability pensions by cause of disability (因战、因公、因病)."""

EN = {
    "伤残性质": "Cause of disability",
    "因战": "War",
    "因公": "Duty",
    "因病": "Illness",
    "更正伤残性质和等级": "Correct the cause and grade",
    "更正起始月": "Corrected from",
    "更正理由": "Reason for the correction",
    "更正": "Correct",
    "因病七至十级不享受伤残抚恤金": "Illness, grades 7 to 10: no disability pension",
    "因病致残七至十级不享受伤残抚恤金。": "A disability from illness of grade 7 to 10 carries no disability pension.",
    "残疾军人伤残抚恤金（元/月），按伤残性质和伤残等级": (
        "Disabled servicemen's pensions (yuan a month), by cause and grade"
    ),
    "残疾军人伤残抚恤金（元/月）：导入标准，括号内为与现行标准相比的变化": (
        "Disabled servicemen's pensions (yuan a month) in the file, with the change against the table in force in "
        "brackets"
    ),
    "残疾军人伤残抚恤金（元/月），按伤残性质和伤残等级；因病致残七至十级不享受伤残抚恤金": (
        "Disabled servicemen's pensions (yuan a month), by cause and grade; a disability from illness of grade 7 "
        "to 10 carries no pension"
    ),
    "以残疾军人证记载为准；因病致残只有一至六级享受伤残抚恤金": (
        "As the disabled serviceman's certificate records it; a disability from illness carries a pension at "
        "grades 1 to 6 only"
    ),
    "按残疾军人证或重新评定的结论更正。已批准的，自更正起始月起按新的伤残性质和等级的标准发放：已发放的月份少发的下次发放时补发，多发的登记追回。": (
        "Correct from the certificate or a reassessment. Once approved, the payment follows the table of the new "
        "cause and grade from the month given: months already paid get the difference with the next payroll, and "
        "what was paid beyond it is recorded to recover."
    ),
    "。伤残等级和伤残性质只填残疾军人：因战、因公各一至十级，因病一至六级，每个伤残性质和等级一行；其他类别、每种一次性补助各一行。伤残性质填写：": (
        ". Grade and cause for disabled servicemen only: war and duty grades 1 to 10, illness grades 1 to 6, one "
        "row for each cause and grade; one row for each other category and each one-off grant. The cause, as the "
        "file writes it: "
    ),
    "。先预览，确认后生成参数草稿；有错误时指出行和列，什么都不保存。": (
        ". Preview first, then confirm to make a draft version; an error names its row and column and nothing is saved."
    ),
}

"""English for the coordinator's work of 2026-12-02 (fourth session): probabilistic matching of department loads."""

EN = {
    "（概率 %(p)s）": " (probability %(p)s)",
    "匹配方式：": "Matched by: ",
    "%(label)s（%(n)s）": "%(label)s (%(n)s)",
    "概率匹配 %(p)s": "probabilistic match %(p)s",
    "身份证号缺失或校验位错误、概率匹配也不能确定是谁的记录（只有姓名、有两个可能的人，或姓名与号码对不上），需人工核实；其余为不在本辖区登记的人员。": "Records whose ID number is missing or has a wrong check character and that probabilistic matching could not place (a name alone, two possible people, or a name that does not fit the number) need checking by hand; the rest are people not registered in this area.",
}

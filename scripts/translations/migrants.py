"""English for households whose hukou is outside the county (流动人员, issue 15: temporary assistance where the
hardship happens): the registry's fields, the household page, the temporary assistance window."""

EN = {
    "户籍所在地（非本县户籍）": "Hukou place (outside the county)",
    "持本县居住证": "Holds the county's residence permit",
    "户籍不在本县的，选在本县居住的村/社区": "For a hukou outside the county, choose the village where the household lives in the county",
    "本县户籍留空；外县（市）户籍的流动人员填写户籍所在地，如“四川省仁寿县文林镇”": "Leave empty for a hukou in the county; for people from elsewhere, the place of their hukou, e.g. Wenlin Town, Renshou County, Sichuan",
    "非本县户籍": "Hukou outside the county",
    "户籍所在地": "Hukou place",
    "未持本县居住证": "No residence permit of the county",
    "在本县居住；需本县户籍的救助项目不予纳入，临时救助在急难发生地办理": "Lives in the county; programmes that require a hukou in the county do not take it in, temporary assistance is given where the hardship happens",
    "在临时救助窗口登记：户籍不在本县的，填写“户籍所在地”，村/社区选其在本县居住（或遭遇急难）的村/社区。保存后回到临时救助申请。": "Registering at the temporary assistance window: for a hukou outside the county, fill in the hukou place and choose the village where they live (or met the hardship) in the county. Saving returns to the application.",
    "申请人户籍不在本县（流动人员在本县遭遇急难）或尚未登记：": "The applicant's hukou is outside the county (someone from elsewhere struck by hardship here), or they are not registered yet:",
    "先登记其家庭": "Register the household first",
    "非本县户籍人员在本县遭遇急难的，由急难发生地给予急难型临时救助；支出型临时救助须持本县居住证，否则向户籍所在地申请。": "People from outside the county struck by an emergency here are given emergency temporary assistance where it happened; the expenditure kind needs the county's residence permit, else it is applied for at the hukou place.",
    "非本县户籍，由急难发生地救助": "Hukou outside the county: assisted where the hardship happened",
    "持本县居住证仅适用于非本县户籍的家庭：请先填写户籍所在地": "The residence permit applies to a household whose hukou is outside the county: give the hukou place first",
    "持本县居住证：急难型、支出型均可在本地申请": "Holds the county's residence permit: both kinds may be applied for here",
    "未持本县居住证：可申请急难型；支出型应向户籍所在地申请": "No residence permit of the county: the emergency kind may be applied for here; the expenditure kind at the hukou place",
}

"""The bank files' layouts, as data: one entry per layout a bank's batch-payment (批量代发) system imports. The
county pays each payroll through one agent bank (代发银行), which also pays into accounts held at other banks,
so the file holds every line of the payroll in that bank's layout.

Each layout names its columns (from ``bankfiles.COLUMNS``: ref, account, name, id_number, amount, memo, area,
month), their headers in order, the format the bank imports (.xlsx or delimited text), the text encoding and
delimiter, whether the bank needs full ID numbers (then the export is access-logged, as the account numbers always
are), whether the file ends with a totals row (合计: the count of payments in the holder's column, the sum in the
amount column) and the name the downloaded file is given.

These are the layouts the demo county's banks are set up with; a county whose bank asks for another order or
other headers changes or adds an entry here (docs/payments.md, "Bank files"). An entry that changes after files
were made with it becomes a new layout row: the files already made keep the layout they were written in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BankFormat:
    code: str  # short and ASCII: the example file's name in docs/examples/bank-files/
    name: str  # unique; shown in the export form and stored with each file
    bank: str
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    fmt: str = "xlsx"  # "xlsx" or "csv" (delimited text)
    delimiter: str = ","
    encoding: str = "utf-8-sig"  # for text files; gb18030 where the bank's system reads GBK
    full_id: bool = False
    totals: bool = True
    file_name: str = "{county}{programme}{month}发放明细（{bank}）.{fmt}"

    def __post_init__(self):
        if len(self.columns) != len(self.headers):
            raise ValueError(f"{self.name}: columns and headers differ in number")
        if "ref" not in self.columns or "amount" not in self.columns:
            raise ValueError(f"{self.name}: a layout needs the ref and amount columns")


DEFAULT = BankFormat(
    code="default",
    name="社会救助一卡通（默认）",
    bank="社会救助一卡通",
    columns=("ref", "account", "name", "id_number", "amount", "memo"),
    headers=("流水号", "账号", "户名", "身份证号", "金额", "摘要"),
    fmt="csv",
)

LAYOUTS: dict[str, BankFormat] = {
    f.name: f
    for f in (
        DEFAULT,
        BankFormat(
            code="rcc",
            name="农村信用社 惠农一卡通代发",
            bank="农村信用社",
            columns=("ref", "account", "name", "id_number", "amount", "memo"),
            headers=("序号", "一卡通账号", "户名", "身份证号码", "金额（元）", "摘要"),
            fmt="xlsx",
            full_id=True,  # the rural credit cooperative checks the holder's ID against the account
        ),
        BankFormat(
            code="abc",
            name="中国农业银行 批量代发",
            bank="中国农业银行",
            columns=("ref", "account", "name", "amount", "id_number", "memo"),
            headers=("流水号", "收款账号", "收款人姓名", "金额", "证件号码", "用途"),
            fmt="csv",
            encoding="gb18030",
            full_id=True,
        ),
        BankFormat(
            code="psbc",
            name="中国邮政储蓄银行 批量代发",
            bank="中国邮政储蓄银行",
            columns=("ref", "name", "account", "amount", "memo"),
            headers=("序号", "户名", "账号", "金额", "备注"),
            fmt="xlsx",
        ),
        BankFormat(
            code="icbc",
            name="中国工商银行 批量代发",
            bank="中国工商银行",
            columns=("ref", "account", "name", "amount", "memo"),
            headers=("编号", "账号", "户名", "金额", "摘要"),
            fmt="csv",
            delimiter="|",
            encoding="gb18030",
        ),
    )
}

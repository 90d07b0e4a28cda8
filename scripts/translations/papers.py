"""English for the papers (personal notices) and the bank files."""

EN = {
    "完整姓名": "Full name",
    "下载": "Download",
    "打印含完整姓名的通知书": "Printed a notice with the full name",
    "打印告知书": "Print the notice",
    "打印通知书": "Print the notice",
    "通知书": "Notice",
    "文本": "text",
    "代发银行文件格式": "Paying bank's file layout",
    "含完整身份证号": "with full ID numbers",
    "生成代发银行文件": "Make the bank file",
    "银行文件含完整身份证号和银行账号": "Bank file with full ID and account numbers",
    "银行文件含完整银行账号": "Bank file with full account numbers",
    "下载含完整身份证号和银行账号的银行文件": "Downloaded a bank file with full ID and account numbers",
    "下载含完整银行账号的银行文件": "Downloaded a bank file with full account numbers",
}

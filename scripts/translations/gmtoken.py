"""English for GM/T 0021 hardware tokens as a second factor (issue 12, item 3)."""

EN = {
    "绑定国密动态令牌": "Bind a GM/T 0021 hardware token",
    "国密动态令牌": "GM/T 0021 hardware token",
    "令牌序列号": "Token serial",
    "种子密钥": "Seed key",
    "种子密钥（十六进制）": "Seed key (hexadecimal)",
    "令牌当前口令": "Code the token shows now",
    "口令变化周期（秒）": "Code period (seconds)",
    "口令位数": "Code digits",
    "序列号 %(serial)s": "Serial %(serial)s",
    "最近使用": "Last used",
    "更换令牌": "Replace the token",
    "绑定令牌": "Bind a token",
    "返回": "Back",
    "已绑定国密动态令牌：该工作人员此后登录可输入令牌上的口令": (
        "Hardware token bound: from now on this person may log in with the code the token shows"
    ),
    (
        "硬件动态令牌（GM/T 0021，SM3算法，每60秒变化的6位口令）由厂商随令牌提供序列号和种子密钥。输入序列号、种子密钥和令牌上正在"
        "显示的口令：口令与种子相符才绑定。绑定后，该工作人员登录时可输入令牌上的口令，手机动态口令和备用码仍然有效。"
    ): (
        "A hardware one-time-password token (GM/T 0021, SM3, a 6-digit code changing every 60 seconds) comes from its"
        " vendor with a serial and a seed key. Enter the serial, the seed key and the code the token shows now: it is"
        " bound only if the code matches the seed. From then on the person may log in with the token's code; the"
        " authenticator app and recovery codes still work."
    ),
    "种子密钥加密保存，不写入审计记录，此后任何页面都不再显示。一枚令牌只能绑定一名工作人员。": (
        "The seed key is stored encrypted, never written to the audit trail and never shown again. A token is bound"
        " to one person only."
    ),
    (
        "请输入国密动态令牌（或手机身份验证器应用）上当前显示的6位动态口令。令牌不在身边时，可以输入一个8位备用码（每个只能用一次）。"
    ): (
        "Enter the 6-digit code your hardware token (or authenticator app) shows now. Without the token, you can enter"
        " one of your 8-digit recovery codes (each works once)."
    ),
    "手机或令牌丢失、更换时，请安全管理员重置您的第二重验证。": (
        "If you lose or replace your phone or token, ask the security administrator to reset your second factor."
    ),
}

"""English for the three separated administrators' pages (三员分立: issue 12, item 4)."""

EN = {
    "安全管理员": "Security administrator",
    "安全审计员": "Audit administrator",
    "审计链": "Audit chain",
    "账号角色": "Roles",
    "安全策略": "Security policy",
    "密钥": "Keys",
    "授予或撤销角色": "Grant or withdraw a role",
    "解除登录锁定": "End a login lock-out",
    "修改密码与登录策略": "Change the password and login policy",
    "长时间未操作，已自动退出，请重新登录。": "You were logged out after a period of inactivity. Please log in again.",
    "管理员职责": "Administrator duty",
    "三员分立：一个账号只能担任系统管理员、安全管理员、安全审计员中的一个": (
        "Separation of duties: an account can be only one of system, security and audit administrator"
    ),
    "密码最短长度": "Minimum password length",
    "密码有效天数": "Password age in days",
    "不得重复使用的最近密码数": "Earlier passwords that may not be reused",
    "无操作自动退出（分钟）": "Idle logout (minutes)",
    "一个账号只能在一处登录": "One session per account",
    "须使用第二重验证的角色": "Roles that must use a second factor",
    "密码最短长度（字符）": "Minimum password length (characters)",
    "密码有效天数（到期须修改）": "Password age in days (then it must be changed)",
    "须使用第二重验证（动态口令）的角色": "Roles that must use a second factor (one-time codes)",
    "所有角色": "All roles",
    "安全策略已保存，即时生效": "Security policy saved; it applies at once",
    "无角色（撤销）": "No role (withdraw)",
    "角色已保存": "Role saved",
    "不能重置自己的第二重验证，请由另一名安全管理员办理": (
        "You cannot reset your own second factor; ask another security administrator"
    ),
    "已解除登录锁定（清除%(n)d条失败记录）": "Lock-out ended (%(n)d failed attempts cleared)",
    "已创建账号。该账号尚无角色，请安全管理员授予角色后方可办理业务。": (
        "Account created. It has no role yet: the security administrator must grant one before it can do any work."
    ),
    "校验审计链": "Verify the audit chain",
    "记录审计链头": "Record the audit chain head",
    "已记录今天的审计链头": "Today's chain head recorded",
    "账号角色与安全": "Roles and account security",
    "自己的角色须由另一名安全管理员修改。": "Your own role must be changed by another security administrator.",
    "保存角色": "Save role",
    "三员分立：担任过系统管理员、安全管理员或安全审计员的账号，只能担任该角色或没有角色。": (
        "Separation of duties: an account made system, security or audit administrator may hold only that role or none."
    ),
    "第二重验证与登录锁定": "Second factor and lock-out",
    "登录锁定": "Login lock-out",
    "未锁定": "Not locked",
    "解除锁定": "End the lock-out",
    "安全记录": "Security record",
    "系统管理员创建的账号没有角色，须在此授予。一个账号只能担任系统管理员、安全管理员、安全审计员中的一个（三员分立）。": (
        "Accounts the system administrator creates have no role until it is granted here. An account can be only "
        "one of system, security and audit administrator (separation of duties)."
    ),
    "用户名或姓名": "Username or name",
    "只看待授予角色的账号": "Only accounts waiting for a role",
    "待授予角色": "Waiting for a role",
    "已绑定": "Enrolled",
    "必须使用，尚未绑定": "Required, not enrolled",
    "登录已锁定": "Login locked",
    "没有符合条件的账号": "No matching accounts",
    "密钥清单": "Key list",
    "只列出密钥编号、用途和生成日期，密钥本身不离开密钥文件。新增或轮换密钥在服务器上用命令办理：": (
        "Only key ids, purposes and dates are listed; the keys never leave the key file. Keys are added or "
        "rotated on the server with:"
    ),
    "密钥编号": "Key id",
    "生成日期": "Created",
    "备份": "Backups",
    "个人信息加密": "Personal data encryption",
    "检索索引": "Search indexes",
    "文件加密": "File encryption",
    "在用": "In use",
    "仅用于解密旧数据": "Only to decrypt older data",
    "没有密钥": "No keys",
    "密码与登录策略": "Password and login policy",
    "保存策略": "Save policy",
    "系统设置的要求（策略不能低于）": "What the settings require (the policy cannot be weaker)",
    "密码至少 %(n)s 个字符": "Passwords of at least %(n)s characters",
    "密码最长 %(n)s 天须修改": "Passwords changed at least every %(n)s days",
    "密码不限有效期": "No password age limit",
    "不得重复使用最近 %(n)s 次的密码": "None of the last %(n)s passwords reused",
    "无操作最长 %(n)s 分钟自动退出（不少于10分钟）": "Idle logout after at most %(n)s minutes (10 at least)",
    "允许一个账号在多处登录": "An account may be logged in in several places",
    "须使用第二重验证的角色：": "Roles that must use a second factor: ",
    "尚未授予": "not granted yet",
    "。": ".",
    "角色由安全管理员授予；改变所属区划会撤销原角色，须由安全管理员重新授予。": (
        "Roles are granted by the security administrator; moving the account to another area withdraws its role "
        "until the security administrator grants it again."
    ),
    "自己的所属区划和启用状态须由另一名系统管理员修改。": (
        "Your own area and active state must be changed by another system administrator."
    ),
    "新账号没有角色，不能办理任何事项，直到安全管理员授予角色（三员分立）。": (
        "A new account has no role and can do nothing until the security administrator grants one (separation "
        "of duties)."
    ),
    "每条审计事件都以国密算法与前一条串联封存，改动、删除或插入任何一条都会使其后的校验失败。每天记录一次链头，由安全审计员在系统外保存。": (
        "Each audit event is sealed to the one before it with HMAC-SM3: changing, removing or inserting any of "
        "them breaks every check after it. The chain head is recorded daily and kept by the audit administrator "
        "outside the system."
    ),
    "审计链完整：第%(first)s至%(last)s号，共 %(n)s 条已核对。": (
        "The audit chain is intact: links %(first)s to %(last)s, %(n)s checked."
    ),
    "审计链校验未通过：": "The audit chain failed verification:",
    "封存状态": "Sealing",
    "已封存 %(n)s 条": "%(n)s sealed",
    "待封存 %(n)s 条": "%(n)s waiting to be sealed",
    "最新第%(seq)s号，封存于 %(at)s": "latest link %(seq)s, sealed %(at)s",
    "当前链头": "Current chain head",
    "立即校验整条审计链": "Verify the whole chain now",
    "记录今天的链头": "Record today's chain head",
    "已记录的链头": "Recorded chain heads",
    "链头": "Chain head",
    "尚未记录": "None recorded yet",
    "归档": "Archives",
    "审计事件至少在系统中保存 %(n)s 天；更早的可用命令归档到文件，链从归档处继续校验。": (
        "Audit events stay in the system at least %(n)s days; older ones may be archived to a file with the "
        "command, and the chain is verified on from the archive."
    ),
    "尚未归档": "Nothing archived yet",
    "%(n)s 个账号待授予角色": "%(n)s accounts waiting for a role",
    "系统管理员已创建，授予角色后方可办理业务": "created by the system administrator; they can work once granted a role",
    "请安全管理员授予角色": "the security administrator grants roles",
    "由安全管理员设定，保存后即时生效，每次修改记入审计日志。策略只能比系统设置更严格，系统设置的要求列在下方。": (
        "Set by the security administrator; it applies as soon as it is saved and every change is audited. The "
        "policy may only be stricter than the settings, listed below."
    ),
    "（系统设置要求）": "(required by the settings)",
}

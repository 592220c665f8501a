from zhifa.core.errors import ErrorCode


class AccountError(ErrorCode):
    ROLE_CONFLICT = ("accounts.role_conflict",
                     "三员分立：{detail}（GB/T 22239-2019 第8.1.4.2条d款 管理用户权限分离）", 422)
    SELF_ROLE_CHANGE = ("accounts.self_role_change", "不能修改自己的角色（三员分立，须由其他管理员操作）", 403)
    NOT_ADMIN = ("accounts.not_allowed", "仅{role}可以执行此操作", 403)
    OUT_OF_SCOPE = ("accounts.out_of_scope", "{what}不在您的管辖范围内", 403)
    NOT_TOP_UNIT = ("accounts.not_top_unit",
                    "{what}对全系统生效，仅由最高一级单位（{top}）的{role}设置；本单位的管理员无权修改", 403)
    PASSWORD_POLICY = ("accounts.password_policy", "密码不符合安全策略：{detail}", 422)
    PASSWORD_REUSED = ("accounts.password_reused", "不能使用最近 {n} 次用过的密码", 422)
    USERNAME_TAKEN = ("accounts.username_taken", "用户名 {username} 已存在", 409)
    ORG_CYCLE = ("accounts.org_cycle", "上级单位不能是本单位或其下级单位", 422)
    CERT_INVALID = ("accounts.cert_invalid", "执法证信息有误：{detail}", 422)
    CERT_DUPLICATE = ("accounts.cert_duplicate", "执法证号 {number} 已存在", 409)
    IDCARD_INVALID = ("accounts.idcard_invalid", "身份证号码无效：{detail}", 422)
    OFFICER_DUPLICATE = ("accounts.officer_duplicate", "该身份证号码的执法人员已存在", 409)
    TOTP_INVALID = ("accounts.totp_invalid", "动态口令错误", 422)

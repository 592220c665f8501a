"""Names of the audit actions of accounts (sign-in, users, units, officers, certificates, policy)."""

from zhifa.core.audit import register_action_labels

register_action_labels(
    {
        "auth.login": "登录",
        "auth.logout": "退出登录",
        "user.create": "新建账户",
        "user.set_roles": "设置账户角色",
        "user.enable": "启用账户",
        "user.disable": "停用账户",
        "user.unlock": "解除账户锁定",
        "user.reset_password": "重置密码",
        "user.change_password": "修改密码",
        "user.totp_enable": "启用动态口令",
        "org.create": "新建单位",
        "org.update": "修改单位",
        "officer.create": "新增执法人员",
        "officer.leave": "执法人员离岗",
        "officer.idcard_view": "查看执法人员完整身份证号",
        "certificate.add": "登记执法证",
        "certificate.review": "执法证年审",
        "certificate.withdraw": "收回执法证",
        "security.policy_update": "修改安全策略",
        "token.create": "签发接口令牌",
        "token.revoke": "吊销接口令牌",
    }
)

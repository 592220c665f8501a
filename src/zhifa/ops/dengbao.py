"""等保 self-assessment (issue 17 item 6): each GB/T 22239-2019 第三级 control this software answers — the
clause, what zhifa does for it, the setting that controls it with its current value, and the test file that
shows it — and, plainly, what remains the operator's duty.

Clause numbers and texts: /work/shared/domain/security.md B1 (third-party transcriptions that agree word for
word; the official text was not consulted — an assessor checks them against it). Every test path listed
must exist (tests/ops/test_dengbao.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings


@dataclass(frozen=True)
class Setting:
    label: str
    name: str  # the variable or page that changes it
    value: Callable[[], str]


@dataclass(frozen=True)
class Control:
    control: str
    clause: str
    does: list[str]
    settings: list[Setting] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)


def _policy():
    from zhifa.accounts.models import SecurityPolicy

    return SecurityPolicy.objects.filter(pk=1).first() or SecurityPolicy()  # the defaults until first saved


def _policy_value(attr: str, unit: str = "") -> Callable[[], str]:
    def value() -> str:
        v = getattr(_policy(), attr)
        if isinstance(v, bool):
            return "是" if v else "否"
        return f"{v}{unit}"

    return value


def _key_state(name: str) -> Callable[[], str]:
    return lambda: "已设置" if os.environ.get(name) else "未设置（使用开发默认值，生产环境不可用）"


def _env(name: str, default: str) -> Callable[[], str]:
    return lambda: os.environ.get(name) or f"{default}（默认）"


def _prod() -> str:
    return "生产模式（prod）" if settings.PROD else "开发模式（dev）：HTTPS Cookie、HSTS 未开启"


def _database() -> str:
    vendor = settings.DATABASES["default"]["ENGINE"]
    return "PostgreSQL" if "postgresql" in vendor else "SQLite（仅适用于开发、演示）"


POLICY_PAGE = "安全策略页面（/security/policy/）"

CONTROLS: list[Control] = [
    Control(
        "身份鉴别",
        "8.1.4.1 a) b) d)",
        [
            "每个账户用户名唯一；密码复杂度、有效期、不得重复使用近期密码，由安全管理员设定",
            "连续登录失败按账户与来源地址锁定；空闲超时自动退出；会话随浏览器关闭失效",
            "动态口令（TOTP）作为第二种鉴别因素，可要求管理员必须启用",
            "密码以 PBKDF2-HMAC-SM3 存储，不可还原",
        ],
        [
            Setting("密码最小长度", POLICY_PAGE, _policy_value("password_min_length", " 位")),
            Setting("至少包含字符类别数", POLICY_PAGE, _policy_value("password_min_classes", " 类")),
            Setting("密码有效期", POLICY_PAGE, _policy_value("password_max_age_days", " 天")),
            Setting("连续失败锁定次数", POLICY_PAGE, _policy_value("lockout_threshold", " 次")),
            Setting("锁定时长", POLICY_PAGE, _policy_value("lockout_minutes", " 分钟")),
            Setting("空闲超时", POLICY_PAGE, _policy_value("idle_timeout_minutes", " 分钟")),
            Setting("管理员必须启用动态口令", POLICY_PAGE, _policy_value("totp_required_for_admins")),
            Setting("密码哈希迭代次数", "ZHIFA_PASSWORD_ITERATIONS", _env("ZHIFA_PASSWORD_ITERATIONS", "600000")),
        ],
        ["tests/accounts/test_login_throttle.py", "tests/accounts/test_session_policy.py",
         "tests/accounts/test_services.py"],
    ),
    Control(
        "身份鉴别：远程管理防窃听",
        "8.1.4.1 c)",
        ["生产模式下 Cookie 仅经 HTTPS 传输，开启 HSTS 与 HTTP 到 HTTPS 跳转；部署检查逐项列出未开启之处"],
        [
            Setting("运行模式", "ZHIFA_ENV", _prod),
            Setting("HTTPS 跳转", "ZHIFA_SSL_REDIRECT", _env("ZHIFA_SSL_REDIRECT", "1")),
            Setting("HSTS 秒数", "ZHIFA_HSTS_SECONDS", _env("ZHIFA_HSTS_SECONDS", "31536000")),
        ],
        ["tests/ops/test_deploy_check.py"],
    ),
    Control(
        "访问控制",
        "8.1.4.2 a) c) d) e) f)",
        [
            "按角色分配权限：执法人员、法制审核人员、执法部门负责人与三员，各自只见其职责所需的页面",
            "每次读取按操作人所属单位限定范围（记录级）：他单位的记录一律答复“不存在”",
            "停用账户即时失效；机器账户使用有期限的接口令牌",
        ],
        [Setting("账户与角色", "系统管理员：账户管理页面（/admin/users/）", lambda: "按账户设置")],
        ["tests/security/test_scoping.py", "tests/accounts/test_views.py"],
    ),
    Control(
        "安全管理中心：三员分立",
        "8.1.5.1、8.1.5.2、8.1.5.3",
        [
            "系统管理员、安全管理员、审计管理员三种角色互斥，且与业务角色互斥；三员均不可见业务数据",
            "任何人不能修改自己的角色；只有审计管理员可查询、导出审计日志；三员的每项操作都记入审计日志",
        ],
        [Setting("安全策略的修改权", POLICY_PAGE, lambda: "仅顶级单位的安全管理员")],
        ["tests/accounts/test_views.py", "tests/console/test_views_audit.py"],
    ),
    Control(
        "安全审计",
        "8.1.4.3 a) b) c)",
        [
            "每次写操作、登录、退出、锁定与敏感读取（查看完整身份证号、导出）都记录时间、操作人、角色、单位、"
            "动作、对象、前后摘要、请求号、来源地址与结果",
            "审计记录以 HMAC-SM3 链式相连；数据库触发器拒绝修改与删除；链头定期锚定到库外文件，并可交外部见证方核对",
        ],
        [
            Setting("审计链密钥", "ZHIFA_AUDIT_KEY", _key_state("ZHIFA_AUDIT_KEY")),
            Setting("链头锚点文件", "ZHIFA_AUDIT_ANCHOR_FILE", lambda: str(settings.AUDIT_ANCHOR_FILE)),
        ],
        ["tests/core/test_audit.py", "tests/core/test_audit_concurrency.py", "tests/console/test_views_audit.py"],
    ),
    Control(
        "数据完整性",
        "8.1.4.7 a) b)",
        [
            "证据文件与执法文书入库时计算 SM3 摘要，可随时复核；审计记录以哈希链保护",
            "上传时可声明摘要，传输中被改动的文件不予存储",
        ],
        [Setting("证据存储", "ZHIFA_STORAGE", _env("ZHIFA_STORAGE", "fs"))],
        ["tests/evidence/test_verify.py", "tests/evidence/test_ingest.py", "tests/core/test_audit.py"],
    ),
    Control(
        "数据保密性",
        "8.1.4.8 a) b)",
        [
            "身份证号、手机号与动态口令密钥以 SM4-GCM 加密存储，按盲索引查找",
            "传输保密依靠 HTTPS（见 8.1.4.1 c）；密码只存哈希",
        ],
        [
            Setting("字段加密密钥", "ZHIFA_FIELD_KEY", _key_state("ZHIFA_FIELD_KEY")),
            Setting("会话签名密钥", "ZHIFA_SECRET_KEY", _key_state("ZHIFA_SECRET_KEY")),
        ],
        ["tests/core/test_crypto.py"],
    ),
    Control(
        "数据备份恢复",
        "8.1.4.9 a)",
        [
            "备份与恢复命令：数据库一致性快照与证据、文书文件，恢复后逐项校验；每日备份任务按保留份数轮换",
            "最近一次成功备份的时间在监控指标与部署检查中给出，超过一天未备份即提示",
        ],
        [
            Setting("备份目录", "ZHIFA_BACKUP_DIR", lambda: settings.BACKUP_DIR or "未设置（不执行每日备份）"),
            Setting("数据库", "DATABASE_URL", _database),
        ],
        ["tests/ops/test_backup.py", "tests/ops/test_health_metrics.py"],
    ),
    Control(
        "入侵防范",
        "8.1.4.4 c) d)",
        [
            "服务器端校验全部输入：参数范围、空字符、电子表格公式开头的文字、导入行的格式，出错时答复中文说明",
            "监控指标只对允许的地址或持有令牌者开放；登录失败按真实来源地址计数，只信任指定反向代理转发的地址",
        ],
        [
            Setting("监控指标允许地址", "ZHIFA_METRICS_ALLOW", _env("ZHIFA_METRICS_ALLOW", "127.0.0.1,::1")),
            Setting("监控指标令牌", "ZHIFA_METRICS_TOKEN", lambda: "已设置" if os.environ.get("ZHIFA_METRICS_TOKEN") else "未设置"),
            Setting("可信反向代理", "ZHIFA_TRUSTED_PROXIES", lambda: "、".join(sorted(settings.TRUSTED_PROXIES)) or "未设置"),
        ],
        ["tests/security/test_bounded_parameters.py", "tests/core/test_badfiles.py", "tests/ops/test_health_metrics.py"],
    ),
    Control(
        "个人信息保护",
        "8.1.4.11 a) b)",
        [
            "证件号、手机号默认脱敏显示；查看完整号码是单独授权且记入审计的操作",
            "公示门户按设置对自然人姓名、车牌脱敏",
        ],
        [
            Setting("门户自然人姓名", "ZHIFA_DISCLOSURE_PERSON_NAME", _env("ZHIFA_DISCLOSURE_PERSON_NAME", "mask")),
            Setting("门户车牌", "ZHIFA_DISCLOSURE_PLATE", _env("ZHIFA_DISCLOSURE_PLATE", "full")),
        ],
        ["tests/registry/test_views.py", "tests/disclosure/test_masking.py"],
    ),
]

# What the software cannot do for the operator (listed on the page as it is).
OPERATOR_DUTIES: list[tuple[str, str]] = [
    ("安全物理环境、安全通信网络、安全区域边界（8.1.1–8.1.3）",
     "机房、网络划分、防火墙与访问控制策略、边界入侵检测、网络审计由运营单位负责"),
    ("主机加固（8.1.4.4 a) b)、8.1.4.5、8.1.4.6）",
     "操作系统最小安装、关闭无用服务、补丁、恶意代码防范、可信验证；数据库与中间件的账户和口令"),
    ("传输加密的证书（8.1.4.1 c)、密评 8.4 d)）",
     "申请并按期更换 TLS 证书；密评要求国密时，在前端部署支持 TLCP 的网关"),
    ("密钥保管（密评）", "三个密钥存入密码机或密钥管理系统并另行备份；密钥丢失则加密数据无法恢复"),
    ("异地实时备份与热冗余（8.1.4.9 b) c)）",
     "PostgreSQL 主备流复制、异地备份与定期恢复演练；SQLite 部署达不到三级"),
    ("审计记录集中与留存（8.1.5.4、《网络安全法》第二十一条）",
     "审计日志与系统日志汇集到日志服务器，留存不少于六个月；数据库账户对审计表只授予插入与查询权限"),
    ("时钟同步", "主机启用 NTP 时间同步，审计时间、法定期限与动态口令依赖准确的时钟"),
    ("安全管理制度、机构、人员、建设与运维管理（8.1.6–8.1.10）",
     "制度、岗位、培训、变更与应急预案，以及由测评机构进行的等级测评"),
]


def rows() -> list[dict]:
    """The page's rows with the settings' current values."""
    return [
        {
            "control": c.control,
            "clause": c.clause,
            "does": c.does,
            "settings": [{"label": s.label, "name": s.name, "value": s.value()} for s in c.settings],
            "tests": c.tests,
        }
        for c in CONTROLS
    ]

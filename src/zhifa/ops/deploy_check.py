"""What is wrong in the current settings for production (``zhifa check --deploy``): Django's own deployment
checks (``check --deploy``), told in Chinese with the ``ZHIFA_*`` variable to change, and ours — the three
keys, production mode, HTTPS, the database for several server processes, migrations, the job queue, the data
directory and evidence store, the clock, proxies, the metrics page, the audit anchor file, the last backup.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from zhifa.ops import probes

ERROR, WARNING, INFO = "错误", "警告", "提示"


@dataclass(frozen=True)
class Problem:
    level: str  # ERROR / WARNING / INFO
    code: str
    message: str
    setting: str = ""  # what to change

    def line(self) -> str:
        fix = f" —— 请修改：{self.setting}" if self.setting else ""
        return f"[{self.level}] {self.code} {self.message}{fix}"


# Django's deployment checks (django.core.checks.security), in Chinese, with our variable. Level ERROR
# where production must not run like this.
_PROD = "ZHIFA_ENV=prod"
_IN_SETTINGS = "config/settings.py"
_SESSION_COOKIE = (ERROR, "会话 Cookie 未设为仅 HTTPS 传输", _PROD)
DJANGO_DEPLOY = {
    **{f"security.W00{n}": (ERROR, f"未启用{what}中间件", f"MIDDLEWARE（{_IN_SETTINGS}）")
       for n, what in ((1, " Security"), (2, "防点击劫持"), (3, " CSRF 防护"))},
    "security.W004": (WARNING, "未开启 HSTS（强制浏览器只用 HTTPS）", f"{_PROD}、ZHIFA_HSTS_SECONDS"),
    "security.W005": (WARNING, "HSTS 未包含子域名", _PROD),
    "security.W006": (WARNING, "未设置 X-Content-Type-Options: nosniff", _IN_SETTINGS),
    "security.W008": (WARNING, "未开启 HTTP 到 HTTPS 的跳转（若 TLS 在前置网关终结可忽略）", f"{_PROD}、ZHIFA_SSL_REDIRECT=1"),
    "security.W009": (ERROR, "密钥过短、过于简单或为开发默认值", "ZHIFA_SECRET_KEY（至少 50 个随机字符）"),
    "security.W010": _SESSION_COOKIE,
    "security.W011": _SESSION_COOKIE,
    "security.W012": _SESSION_COOKIE,
    "security.W016": (ERROR, "CSRF Cookie 未设为仅 HTTPS 传输", _PROD),
    "security.W018": (ERROR, "调试模式（DEBUG）开启：出错页面会泄露代码与配置", f"{_PROD} 或 ZHIFA_DEBUG=0"),
    "security.W019": (WARNING, "X-Frame-Options 不是 DENY", _IN_SETTINGS),
    "security.W020": (ERROR, "未设置允许访问的主机名", "ZHIFA_ALLOWED_HOSTS（如 zhifa.example.gov.cn）"),
    "security.W021": (INFO, "HSTS 未设置 preload（内网系统通常无需）", ""),
    "security.W022": (WARNING, "未设置 Referrer-Policy", _IN_SETTINGS),
    "security.W024": (ERROR, "旧密钥（SECRET_KEY_FALLBACKS）过于简单", _IN_SETTINGS),
}


def django_problems() -> list[Problem]:
    from django.core import checks

    out = []
    for msg in checks.run_checks(include_deployment_checks=True):
        if msg.is_silenced() or msg.level < checks.WARNING:
            continue
        if msg.id in DJANGO_DEPLOY:
            level, text, setting = DJANGO_DEPLOY[msg.id]
        else:  # a check we have no words for: its own text, with its id for a search
            level = ERROR if msg.level >= checks.ERROR else WARNING
            text, setting = f"Django 检查未通过：{msg.msg}", msg.hint or ""
        out.append(Problem(level, msg.id, text, setting))
    return out


def _probe_problem(code: str, probe: probes.Probe, setting: str, *, level: str = ERROR) -> Problem | None:
    if probe.ok is None:
        return Problem(INFO, code, probe.detail)
    if probe.ok:
        return None
    return Problem(level, code, probe.detail, setting)


def zhifa_problems(*, web_workers: int) -> list[Problem]:
    out: list[Problem | None] = []
    if not settings.PROD:
        out.append(Problem(ERROR, "zhifa.E101", "未处于生产模式：安全 Cookie、HSTS、HTTPS 跳转未开启，允许开发默认密钥",
                           "ZHIFA_ENV=prod"))
    for name in ("ZHIFA_SECRET_KEY", "ZHIFA_FIELD_KEY", "ZHIFA_AUDIT_KEY"):
        if not os.environ.get(name):
            out.append(Problem(ERROR, "zhifa.E102", f"{name} 未设置，正在使用由开发默认值推导的密钥", name))
    origins = [o for o in settings.CSRF_TRUSTED_ORIGINS if o.startswith("http://")]
    if origins:
        out.append(Problem(WARNING, "zhifa.W103", f"可信来源使用了 HTTP：{'、'.join(origins)}",
                           "ZHIFA_CSRF_TRUSTED_ORIGINS（用 https://）"))
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        if web_workers > 1:
            out.append(Problem(ERROR, "zhifa.E104", f"SQLite 数据库不宜由 {web_workers} 个网站进程同时写入",
                               "DATABASE_URL=postgres://…（或 zhifa serve --workers 1）"))
        else:
            out.append(Problem(WARNING, "zhifa.W104", "SQLite 数据库：等保三级要求的异地实时备份与热冗余需 PostgreSQL 主备复制",
                               "DATABASE_URL=postgres://…"))
    db = probes.database_probe()
    out.append(_probe_problem("zhifa.E105", db, "DATABASE_URL"))
    if db.ok:
        out.append(_probe_problem("zhifa.E106", probes.migrations_probe(), ""))
    out.append(_probe_problem("zhifa.E107", probes.queue_probe(), "ZHIFA_JOBS_URL"))
    out.append(_probe_problem("zhifa.E108", probes.data_dir_probe(), "ZHIFA_DATA_DIR（目录属主与权限）"))
    out.append(_probe_problem("zhifa.E109", probes.evidence_store_probe(), "ZHIFA_STORAGE、ZHIFA_S3_*"))
    out.append(_probe_problem("zhifa.E110", probes.clock_probe(), "启用 chrony 或 systemd-timesyncd（timedatectl set-ntp true）"))
    if not settings.TRUSTED_PROXIES:
        out.append(Problem(WARNING, "zhifa.W111", "未设置可信反向代理：经 nginx 转发时审计日志与登录限制只看到代理地址",
                           "ZHIFA_TRUSTED_PROXIES（nginx 在本机时为 127.0.0.1）"))
    allow = os.environ.get("ZHIFA_METRICS_ALLOW", "")
    if any(part.strip() in ("0.0.0.0/0", "::/0") for part in allow.split(",")):
        out.append(Problem(WARNING, "zhifa.W112", "监控指标 /metrics 对任何地址开放", "ZHIFA_METRICS_ALLOW、ZHIFA_METRICS_TOKEN"))
    anchor = Path(settings.AUDIT_ANCHOR_FILE).resolve()
    if anchor.is_relative_to(Path(settings.DATA_DIR).resolve()):
        out.append(Problem(WARNING, "zhifa.W113", "审计链锚点文件与数据放在同一目录：被删改时无从比对",
                           "ZHIFA_AUDIT_ANCHOR_FILE（放到另一存储上）"))
    out.append(_probe_problem("zhifa.W114", probes.last_backup_probe(), "ZHIFA_BACKUP_DIR（每日备份任务，放在另一存储上）", level=WARNING))
    return [p for p in out if p is not None]


def deploy_problems(*, web_workers: int) -> list[Problem]:
    return django_problems() + zhifa_problems(web_workers=web_workers)

"""``zhifa check --deploy``: what is wrong in the current settings for production (ops.deploy_check).
Exit 0 when there is no error (warnings and notes are printed), 1 when there is one. ``zhifa collectstatic``:
the static files into ``STATIC_ROOT`` for nginx (deploy/nginx/zhifa.conf)."""

from __future__ import annotations

import os

from zhifa.core.commandline import cli_error, setup_django


def cmd_check(args) -> int:
    from django.core.exceptions import ImproperlyConfigured

    if not args.deploy:
        return cli_error("请加 --deploy：检查当前设置是否适合生产环境")
    try:
        setup_django()
    except ImproperlyConfigured as e:  # prod settings refuse to load without their keys
        print(f"[错误] 设置无法加载：{e}")
        return 1
    from zhifa.ops.deploy_check import ERROR, deploy_problems

    workers = args.workers or max(1, min(os.cpu_count() or 1, 8))
    problems = deploy_problems(web_workers=workers)
    for p in problems:
        print(p.line())
    errors = sum(p.level == ERROR for p in problems)
    warnings = len(problems) - errors
    print(f"共 {errors} 个错误、{warnings} 个警告或提示" if problems else "未发现问题，可以用于生产环境")
    return 1 if errors else 0


def cmd_collectstatic(args) -> int:
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    print(f"静态文件已收集到 {settings.STATIC_ROOT}（nginx 以 /static/ 直接提供）")
    return 0


def register(sub) -> None:
    s = sub.add_parser("check", help="检查生产环境设置 / check the settings for production")
    s.add_argument("--deploy", action="store_true", help="生产部署检查 / deployment checks")
    s.add_argument("--workers", type=int, default=0,
                   help="计划的网站进程数（默认同 zhifa serve）/ web processes planned (default as zhifa serve)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("collectstatic", help="收集静态文件供 nginx 提供 / collect static files for nginx")
    s.set_defaults(func=cmd_collectstatic)

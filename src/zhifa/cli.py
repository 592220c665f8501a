"""The ``zhifa`` command. Help texts are bilingual (中文 / English); output a person reads is Chinese.

Exit codes: 0 success; 1 the thing checked is not OK (invalid value, broken audit chain, failed import
rows); 2 usage or input error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from zhifa.core.commandline import bind_cli_context, cli_error, parse_cli_date, setup_django

# --- commands -------------------------------------------------------------------------------------

def cmd_migrate(args) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    print("数据库已迁移到最新版本")
    return 0


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def cmd_serve(args) -> int:
    setup_django()
    if _pending_migrations():
        return cli_error("数据库尚未迁移到最新版本，请先运行：zhifa migrate")
    return _serve(args.host, args.port, workers=args.workers, threads=args.threads, timeout=args.timeout)


def _default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _serve(host: str, port: int, *, workers: int, threads: int = 4, timeout: int = 300) -> int:
    """Serve with gunicorn: ``workers`` pre-forked processes (one per core by default: Python runs one
    thread at a time per process, so one process cannot use a second core) with ``threads`` threads
    each. The application is loaded once before the fork; the database connection the migration
    check opened is closed first so that no process inherits another's socket. A worker that dies is
    replaced by the arbiter; ``timeout`` bounds a request that stops answering (large uploads and
    案卷 ZIPs stream, so the default is generous)."""
    from django.conf import settings
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    from zhifa.ops.serving import child_exit, multiprocess_prepare

    # request metrics of every worker process summed on /metrics (before the application is loaded)
    multiprocess_prepare(Path(settings.DATA_DIR) / "run" / "prometheus")
    from zhifa.config.wsgi import application

    connections.close_all()
    options = {  # worker_class: gunicorn's threaded worker with a keep-alive request limit (core.server)
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "zhifa.core.server.Worker",
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "reuse_port": False,  # one shared socket: the workers balance their connections (core.server)
        "preload_app": True,
        "proc_name": "zhifa",
        "child_exit": child_exit,
        "errorlog": "-",
        "loglevel": "warning",
    }

    class _Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            return application

    print(
        f"zhifa 已启动：http://{host}:{port}/ （{workers} 个进程 × {threads} 个线程；按 Ctrl+C 停止）",
        flush=True,
    )
    _Server().run()
    return 0


def demo_environment() -> None:
    """The demo shows what a bureau would see in production: Chinese error pages, never Django's debug
    page listing our URL patterns (static files are still served, by WhiteNoise). ``ZHIFA_DEBUG=1 zhifa
    demo`` brings the debug pages back."""
    os.environ.setdefault("ZHIFA_DEBUG", "0")


def cmd_demo(args) -> int:
    demo_environment()
    setup_django()
    from django.core.management import call_command

    from zhifa.core.errors import DomainError
    from zhifa.demo.loader import DEMO_PASSWORD, demo_loaded, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    if demo_loaded():
        print("演示县数据已载入（跳过载入）。")
    else:
        print("正在载入演示县（郁南县交通运输局）……", flush=True)
        try:
            with bind_cli_context():
                summary = load_demo(seed=args.seed, scale=args.scale, progress=lambda m: print(m, flush=True))
        except DomainError as e:
            return cli_error(e.message)
        print(f"已载入：单位 {summary.orgs} 个，执法人员 {summary.officers} 名，企业 {summary.enterprises} 家，"
              f"车辆 {summary.vehicles} 辆，从业人员 {summary.practitioners} 名，证照 {summary.licences} 个")
    _print_demo_accounts(DEMO_PASSWORD)
    if args.no_serve:
        return 0
    worker = None if args.no_worker else _start_worker()
    try:
        return _serve(args.host, args.port, workers=_default_workers())
    finally:
        _stop_worker(worker)


def _start_worker():
    """The job worker beside the demo's web server (imports, statistics and the daily runs need it), in a
    process of its own as in production: stopping or restarting it never touches the web server."""
    import subprocess

    from django.db import connections

    connections.close_all()
    proc = subprocess.Popen([sys.executable, "-m", "zhifa.cli", "worker"], env=os.environ.copy())
    print(f"后台任务进程已启动（进程号 {proc.pid}）；单独重启可运行：zhifa worker", flush=True)
    return proc


def _stop_worker(proc) -> None:
    import signal
    import subprocess

    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)  # finish the running jobs, then stop
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def _print_demo_accounts(password: str) -> None:
    from zhifa.accounts.models import User
    from zhifa.demo.generator import DEMO_USERNAMES

    print(f"\n演示账户（密码均为 {password}）：")
    for u in User.objects.filter(username__in=DEMO_USERNAMES).select_related("org").order_by("id"):
        print(f"  {u.username:<14} {'、'.join(u.role_labels()):<10} {u.org}")


def cmd_createadmin(args) -> int:
    setup_django()
    import getpass

    from zhifa.accounts import services
    from zhifa.accounts.models import Org
    from zhifa.core.errors import DomainError

    org = Org.objects.filter(name=args.org).first()
    password = os.environ.get("ZHIFA_ADMIN_PASSWORD") or ""
    if not password:
        if not sys.stdin.isatty():
            return cli_error("请通过环境变量 ZHIFA_ADMIN_PASSWORD 提供密码，或在终端中交互输入")
        password = getpass.getpass("密码 / password: ")
        if password != getpass.getpass("再次输入密码 / again: "):
            return cli_error("两次输入的密码不一致")
    try:
        with bind_cli_context():
            if org is None:
                if not args.create_org:
                    return cli_error(f"单位“{args.org}”不存在；首次安装请加 --create-org 创建顶级单位")
                org = services.org_create(name=args.org, kind=args.org_kind, parent=None, actor=None,
                                          division_code=args.division_code or "")
            user = services.user_create(username=args.username, display_name=args.name or args.username, org=org,
                                        roles={args.role}, password=password, actor=None)
    except DomainError as e:
        return cli_error(e.message)
    print(f"已创建账户 {user.username}（{'、'.join(user.role_labels())}，{org}）")

    return 0


def cmd_import(args) -> int:
    setup_django()
    from zhifa.accounts.models import Org
    from zhifa.core.imports import FileError, get_importer, run_import

    try:
        get_importer(args.kind)
    except FileError as e:
        return cli_error(str(e))
    path = Path(args.file)
    if not path.is_file():
        return cli_error(f"文件不存在：{path}")
    if args.org:
        org = Org.objects.filter(name=args.org).first()
        if org is None:
            return cli_error(f"单位“{args.org}”不存在")
    else:
        bureaus = list(Org.objects.filter(kind="bureau")[:2])
        if len(bureaus) != 1:
            return cli_error("请用 --org 指定数据所属单位（如：郁南县交通运输局）")
        org = bureaus[0]

    def progress(job) -> None:
        pct = job.processed * 100 // job.total if job.total else 100
        print(f"\r已处理 {job.processed}/{job.total} 行（{pct}%），错误 {job.failed} 行", end="", file=sys.stderr,
              flush=True)

    with bind_cli_context():
        job = run_import(args.kind, path, actor=None, org=org, progress=progress)
    print(file=sys.stderr)
    if job.status == "failed":
        return cli_error(f"导入失败：{job.message}")
    print(job.message)
    for e in job.errors[: args.show_errors]:
        print(f"第 {e['row']} 行：{e['reason']}")
    if job.failed > args.show_errors:
        print(f"……其余 {job.failed - args.show_errors} 行错误见页面“数据导入”任务 #{job.pk}")
    return 1 if job.failed else 0


def cmd_validate(args) -> int:
    from zhifa.core.identifiers import validate

    all_ok = True
    for value in args.values:
        c = validate(args.kind, value)
        if c.ok:
            print(f"{value}\tok")
        else:
            all_ok = False
            print(f"{value}\tinvalid\t{c.reason}")
    return 0 if all_ok else 1


def cmd_calendar(args) -> int:
    setup_django()
    from zhifa.core import calendar
    from zhifa.core.errors import DomainError

    try:
        if args.op == "add-workdays":
            res = calendar.add_workdays(args.date, args.n)
        else:
            res = calendar.add_days(args.date, args.n, roll_over=not args.no_roll_over)
    except DomainError as e:
        return cli_error(e.message)
    print(res.date.isoformat())
    print(res.rule)
    for line in res.explanation:
        print(line)
    return 0


def cmd_audit(args) -> int:
    setup_django()
    from zhifa.core.audit import anchor_parse, audit_anchor_write, audit_head, audit_verify

    try:
        expect = [anchor_parse(a) for a in args.expect or []]
    except ValueError as e:
        return cli_error(str(e))
    result = audit_verify(expect=expect)
    print(result.message)
    if not result.ok:
        return 1
    head = audit_head()
    audit_anchor_write(head)  # the verified head, anchored outside the database
    if args.head:
        print(f"审计链头（请交外部见证方留存，下次以 --expect 传回）：{head}")
    return 0


def cmd_token(args) -> int:
    setup_django()
    from zhifa.accounts import services
    from zhifa.accounts.models import User

    user = User.objects.filter(username=args.username).first()
    if user is None:
        return cli_error(f"账户 {args.username} 不存在")
    with bind_cli_context():
        token, raw = services.api_token_create(user=user, name=args.name, actor=user, days=args.days or None)
    print(raw)
    print(f"令牌已创建（{token.name}，{'永不过期' if not token.expires_at else '有效期至 ' + f'{token.expires_at:%Y-%m-%d}'}）。"
          "令牌只显示这一次，请妥善保存。", file=sys.stderr)
    return 0


# --- parser ---------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="zhifa",
        description="zhifa 交通运输执法平台命令行 / zhifa transport enforcement platform CLI",
        epilog="设置通过环境变量提供（见 README）/ Settings come from environment variables (see README).",
    )
    sub = p.add_subparsers(dest="command", metavar="命令/command", required=True)

    s = sub.add_parser("serve", help="启动网站与接口服务 / serve the web UI and API")
    s.add_argument("--host", default="127.0.0.1", help="监听地址 / bind address (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="端口 / port (default 8000)")
    s.add_argument(
        "--workers", type=int, default=_default_workers(),
        help="工作进程数 / worker processes (default: CPU cores, at most 8)",
    )
    s.add_argument("--threads", type=int, default=4, help="每个进程的线程数 / threads per process (default 4)")
    s.add_argument("--timeout", type=int, default=300, help="单个请求无响应的上限秒数 / seconds before a stuck request's worker is replaced (default 300)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("demo", help="向空库载入演示县并启动服务 / load the demo county into an empty database, then serve")
    s.add_argument("--no-serve", action="store_true", help="只载入不启动 / load only, do not serve")
    s.add_argument("--seed", type=int, default=2022, help="随机种子 / generator seed (default 2022)")
    s.add_argument("--scale", type=float, default=1.0, help="数据规模倍数 / size multiplier (default 1.0)")
    s.add_argument("--host", default="127.0.0.1", help="监听地址 / bind address")
    s.add_argument("--port", type=int, default=8000, help="端口 / port")
    s.add_argument("--no-worker", action="store_true",
                   help="不同时启动后台任务进程 / do not start the job worker beside the server")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("migrate", help="创建或升级数据库表 / create or upgrade the database schema")
    s.add_argument("-v", "--verbose", action="store_true", help="显示每个迁移 / list each migration")
    s.set_defaults(func=cmd_migrate)

    s = sub.add_parser("createadmin", help="创建管理员账户（三员之一）/ create an administrator account")
    s.add_argument("username", help="用户名 / user name")
    s.add_argument("--role", choices=["sysadmin", "secadmin", "auditadmin"], default="sysadmin",
                   help="系统管理员/安全管理员/审计管理员 / which of the three administrators")
    s.add_argument("--org", required=True, help="所属单位名称 / unit name, e.g. 郁南县交通运输局")
    s.add_argument("--create-org", action="store_true", help="单位不存在时创建为顶级单位 / create the unit as root")
    s.add_argument("--org-kind", default="bureau", choices=["province", "city", "county", "bureau", "brigade", "squad"],
                   help="新建单位的层级 / kind of the created unit")
    s.add_argument("--division-code", help="行政区划代码 / GB/T 2260 division code")
    s.add_argument("--name", help="姓名 / display name")
    s.set_defaults(func=cmd_createadmin)

    s = sub.add_parser("import", help="从 CSV/XLSX 导入数据 / import records from CSV or XLSX")
    s.add_argument("kind", choices=["enterprises", "persons", "vehicles", "licences", "officers", "training_signin"],
                   help="企业/自然人/车辆/证照/执法人员/培训签到表 / record kind")
    s.add_argument("file", help="CSV 或 XLSX 文件 / CSV or XLSX file")
    s.add_argument("--org", help="数据所属单位 / owning unit (default: the only bureau)")
    s.add_argument("--show-errors", type=int, default=50, help="最多显示多少条错误 / how many row errors to print")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("validate", help="校验统一社会信用代码、身份证号码、车牌号 / validate identifiers")
    s.add_argument("kind", choices=["uscc", "idcard", "plate"],
                   help="uscc 统一社会信用代码 / idcard 居民身份证号码 / plate 车牌号")
    s.add_argument("values", nargs="+", metavar="VALUE", help="要校验的值 / values to check")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("calendar", help="法定期限计算（工作日/自然日）/ legal deadline arithmetic")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    for op, helptext in (("add-workdays", "N 个工作日后的日期（不含当日）/ the N-th working day after DATE"),
                         ("add-days", "N 个自然日后的日期，末日遇休息日顺延 / N calendar days after DATE, rolled over")):
        c = csub.add_parser(op, help=helptext, description=helptext)
        c.add_argument("date", type=parse_cli_date, help="起算日期 YYYY-MM-DD / start date")
        c.add_argument("n", type=int, help="天数 / number of days")
        if op == "add-days":
            c.add_argument("--no-roll-over", action="store_true", help="末日不顺延 / do not roll over a rest day")
        c.set_defaults(func=cmd_calendar)

    s = sub.add_parser("audit", help="审计日志 / audit log")
    asub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = asub.add_parser("verify", help="校验审计哈希链是否完整 / verify the audit hash chain")
    c.add_argument("--head", action="store_true", help="打印链头 <序号>:<哈希> 供外部见证 / print the head for a witness")
    c.add_argument("--expect", action="append", metavar="SEQ:HASH",
                   help="外部见证方留存的链头，可多次 / a head kept by a witness (repeatable)")
    c.set_defaults(func=cmd_audit)

    s = sub.add_parser("token", help="接口令牌 / API tokens")
    tsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = tsub.add_parser("create", help="为账户创建接口令牌 / create an API token for an account")
    c.add_argument("username", help="账户 / account")
    c.add_argument("name", help="用途 / purpose, e.g. 南江口治超站")
    c.add_argument("--days", type=int, default=365, help="有效天数，0 为不过期 / days valid, 0 = never expires")
    c.set_defaults(func=cmd_token)

    import importlib

    for module in EXTENSIONS:
        importlib.import_module(module).register(sub)
    return p


# Apps that contribute subcommands: each module has ``register(subparsers)``.
EXTENSIONS = ("zhifa.rules.cli", "zhifa.evidence.cli", "zhifa.documents.cli", "zhifa.cases.cli",
              "zhifa.inspections.cli", "zhifa.overload.cli", "zhifa.monitoring.cli",
              "zhifa.disclosure.cli", "zhifa.credit.cli", "zhifa.notifications.cli", "zhifa.jobs.cli",
              "zhifa.ops.backup_cli", "zhifa.ops.deploy_cli", "zhifa.complaints.cli",
              "zhifa.permits.cli")


def _bilingual_help(parser: argparse.ArgumentParser) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "显示帮助并退出 / show this help and exit"
        elif isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, child in action.choices.items():
                child.description = child.description or helps.get(name)
                _bilingual_help(child)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    _bilingual_help(parser)
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

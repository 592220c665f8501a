"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS):

``zhifa rules load [FILE…] [--province 44]``, ``zhifa rules check FILE…`` (rule data or checklist files), ``zhifa rules param NAME``.
Exit codes: 0 success; 1 the data is not valid / not loaded; 2 usage or input error.
"""

from __future__ import annotations

import sys


def cmd_load(args) -> int:
    from zhifa.core.commandline import bind_cli_context, setup_django

    setup_django()
    from zhifa.rules import services

    paths = args.files or services.default_files(args.province)
    with bind_cli_context():
        report = services.rules_load(paths=paths)
    for path in report.files:
        print(f"载入：{path}")
    print(report.summary())
    for e in report.errors:
        print(f"错误：{e}", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_check(args) -> int:
    from pathlib import Path

    from zhifa.core.commandline import setup_django

    setup_django()  # datafile reads the enums of rules.models (run from a shell it failed with ImproperlyConfigured)
    from zhifa.rules import checklists, datafile

    worst = 0
    for path in args.files:
        if not Path(path).is_file():
            print(f"{path}\t文件不存在", file=sys.stderr)
            return 2
        if _is_checklist(path):
            res = checklists.check_file(path)
            if res.ok:
                c = res.counts
                print(
                    f"{path}\t通过\t清单 {c['groups']} 组，条目 {c['items']} 条"
                    + (f"，总分 {c['points']} 分" if c["points"] else "")
                )
                continue
        else:
            res = datafile.check_file(path)
        if res.ok:
            c = res.counts
            print(
                f"{path}\t通过\t法律依据 {c['legal_bases']} 条，执法事项 {c['violations']} 条，程序参数 {c['params']} 条"
            )
            continue
        worst = 1
        print(f"{path}\t不通过\t{len(res.errors)} 处错误", file=sys.stderr)
        for e in res.errors:
            print(f"  {e}", file=sys.stderr)
    return worst


def _is_checklist(path) -> bool:
    """A ``zhifa-checklist/1`` file (公平竞争审查标准, 案卷评查评分表) rather than a rule data file."""
    import json

    from zhifa.rules.checklists import FORMAT

    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("format") == FORMAT
    except (ValueError, AttributeError):
        return False


def cmd_param(args) -> int:
    from datetime import date

    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.core.errors import DomainError
    from zhifa.rules.params import procedure_param

    try:
        on = date.fromisoformat(args.on) if args.on else None
    except ValueError:
        print(f"日期“{args.on}”格式应为 YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        p = procedure_param(args.name, on=on, province=args.province)
    except DomainError as e:
        print(e.message, file=sys.stderr)
        return 1
    print(f"{p.value}\t{p.unit}\t{p.day_type_label or '—'}")
    print(f"{p.label}；依据：{p.article}；可信度：{p.confidence_label}；来源：{p.origin}")
    if p.note:
        print(p.note)
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser(
        "rules",
        help="规则库：法律依据、执法事项、程序参数 / rule library (legal bases, violations, parameters)",
    )
    rsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = rsub.add_parser(
        "load",
        help="载入规则数据文件（默认：内置全国数据及省份数据）/ load rule data files "
        "(default: the shipped national file and the province file)",
    )
    c.add_argument("files", nargs="*", metavar="FILE", help="规则数据文件（JSON）/ rule data files (JSON)")
    c.add_argument(
        "--province",
        default="44",
        help="未指定文件时附加载入的省份数据（两位代码，默认 44 广东；空为仅全国）/ province file to add "
        "when no FILE is given (default 44)",
    )
    c.set_defaults(func=cmd_load)
    c = rsub.add_parser(
        "check",
        help="校验规则数据文件及清单数据文件（公平竞争审查标准、案卷评查评分表），逐条报告错误 / validate rule and checklist data files",
    )
    c.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="规则或清单数据文件（JSON）/ rule or checklist data files (JSON)",
    )
    c.set_defaults(func=cmd_check)
    c = rsub.add_parser("param", help="查询程序参数 / show a procedure parameter")
    c.add_argument("name", help="参数名，如 summary_fine_max_person / parameter name")
    c.add_argument("--on", help="施行日期 YYYY-MM-DD（默认今天）/ date (default today)")
    c.add_argument("--province", default=None, help="省份代码 / province code, e.g. 44")
    c.set_defaults(func=cmd_param)

"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS)."""

from __future__ import annotations

import sys


def cmd_rating_run(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.accounts.models import Org
    from zhifa.credit.services import rating_run

    org = Org.objects.filter(pk=args.org).first()
    if org is None:
        print(f"单位 {args.org} 不存在", file=sys.stderr)
        return 2
    n = rating_run(org=org, year=args.year, actor=None)
    print(f"{args.year} 年度初评完成：{n} 个信用主体；请负责人复核后公布")
    return 0


def cmd_driver_points(args) -> int:
    """Print the driver 诚信考核 计分分值 table in force (or check a bureau's file): exit 1 when invalid."""
    from zhifa.credit import driver_points

    try:
        table = driver_points.load_table(args.file) if args.file else driver_points.table()
    except driver_points.TableError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"{table.title}：{table.document}")
    print(f"文件：{table.path}；满分 {table.full_points} 分")
    for it in table.items.values():
        codes = "、".join(it.catalogue) or "—"
        print(f"{it.key}\t{it.points} 分\t{it.label}\t{it.behaviour}\t执法事项：{codes}")
    if not table.confirmed:
        print("注意：表中含暂定项目（未经附件1原文核实），可用 ZHIFA_CREDIT_DRIVER_POINTS 指定本局核实后的分值表")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("credit", help="信用管理 / credit management")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    r = csub.add_parser("rating-run", help="年度信用评价初评 / annual rating run (初评)")
    r.add_argument("--org", type=int, required=True, help="单位编号 / org id")
    r.add_argument("--year", type=int, required=True, help="考核年度 / year")
    r.set_defaults(func=cmd_rating_run)
    d = csub.add_parser(
        "driver-points", help="驾驶员诚信考核计分分值表（显示或校验）/ driver points table (show or check)"
    )
    d.add_argument("--file", help="校验该分值表文件而不是现行分值表 / check this file instead")
    d.set_defaults(func=cmd_driver_points)

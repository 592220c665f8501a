"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS)."""

from __future__ import annotations

import sys


def cmd_rating_run(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.accounts.selectors import org_by_name_or_id
    from zhifa.credit.services import rating_run

    org, problem = org_by_name_or_id(args.org)
    if org is None:
        print(problem, file=sys.stderr)
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


def cmd_merge(args) -> int:
    """Join a ``name:``/``uscc:`` credit file to its registered subject (or, with --auto, every file one
    registered enterprise answers to); the head of the bureau acts, every merge is audited."""
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.accounts.models import User
    from zhifa.core.errors import DomainError
    from zhifa.credit.services import credit_file_merge, merge_candidates

    actor = User.objects.filter(username=args.user).first()
    if actor is None:
        print(f"用户 {args.user} 不存在", file=sys.stderr)
        return 2
    if args.auto:
        pairs = merge_candidates(actor.org) if actor.org_id else []
    elif args.from_ref and args.to_ref:
        pairs = [{"from": args.from_ref, "to": args.to_ref}]
    else:
        print("请指定 --from 与 --to，或使用 --auto", file=sys.stderr)
        return 2
    for p in pairs:
        try:
            r = credit_file_merge(from_ref=p["from"], to_ref=p["to"], actor=actor, reason=args.reason)
        except DomainError as e:
            print(f"{p['from']} → {p['to']}：{e.message}", file=sys.stderr)
            return 1
        print(f"{r['from']} → {r['to']}：移入 {len(r['moved'])} 条记录，重复作废 {len(r['duplicates'])} 条")
    if not pairs:
        print("没有可合并的信用档案")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("credit", help="信用管理 / credit management")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    r = csub.add_parser("rating-run", help="年度信用评价初评 / annual rating run (初评)")
    r.add_argument("--org", required=True, help="单位名称或编号 / org name or id")
    r.add_argument("--year", type=int, required=True, help="考核年度 / year")
    r.set_defaults(func=cmd_rating_run)
    d = csub.add_parser(
        "driver-points", help="驾驶员诚信考核计分分值表（显示或校验）/ driver points table (show or check)"
    )
    d.add_argument("--file", help="校验该分值表文件而不是现行分值表 / check this file instead")
    d.set_defaults(func=cmd_driver_points)
    m = csub.add_parser(
        "merge", help="把按名称/代码建立的信用档案并入已登记主体 / join a name: file to its registered subject"
    )
    m.add_argument("--from", dest="from_ref", help="来源档案，如 name:郁南县某运输有限公司 / source file")
    m.add_argument("--to", dest="to_ref", help="已登记主体，如 enterprise:45 / registered subject")
    m.add_argument("--auto", action="store_true", help="合并所有与唯一登记企业同名或同代码的档案 / all matches")
    m.add_argument("--user", required=True, help="执法部门负责人用户名 / head's username")
    m.add_argument("--reason", default="一户一档：按名称建立的档案并入已登记主体", help="合并理由 / reason")
    m.set_defaults(func=cmd_merge)

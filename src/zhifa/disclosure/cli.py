"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS)."""

from __future__ import annotations

import sys
from datetime import date


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def cmd_tick(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from django.utils import timezone

    from zhifa.disclosure.services import disclosure_tick

    try:
        on = _date(args.date) or timezone.localdate()
    except ValueError:
        print("日期格式应为 YYYY-MM-DD", file=sys.stderr)
        return 2
    r = disclosure_tick(on=on)
    print(
        f"{on:%Y-%m-%d}：公示 {r['published']} 条，期满停止公示 {r['expired']} 条，名单期满移出 {r['lists_ended']} 个"
    )
    return 0


def cmd_export(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.accounts.models import User
    from zhifa.accounts.selectors import org_by_name_or_id
    from zhifa.disclosure.services import disclosure_export_batch

    org, problem = org_by_name_or_id(args.org)
    if org is None:
        print(problem, file=sys.stderr)
        return 2
    actor = User.objects.filter(username=args.user).first() if args.user else None
    try:
        body, batch = disclosure_export_batch(
            actor=actor,
            org=org,
            target=args.target,
            fmt=args.format,
            kind=args.kind or "",
            date_from=_date(args.date_from),
            date_to=_date(args.date_to),
        )
    except ValueError as e:
        print(f"参数有误：{e}", file=sys.stderr)
        return 2
    with open(args.output, "wb") as fh:
        fh.write(body)
    print(f"已导出 {batch.rows} 条变更（新增、变更、撤销公示）到 {args.output}，批次 {batch.pk}，SM3 {batch.digest}")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("disclosure", help="双公示 / public disclosure")
    dsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    t = dsub.add_parser("tick", help="每日运行：公示待公示记录、期满停止公示 / daily run: publish, expire")
    t.add_argument("--date", help="运行日期 YYYY-MM-DD，默认今天 / run date")
    t.set_defaults(func=cmd_tick)
    e = dsub.add_parser(
        "export",
        help="按国家数据项导出推送批次（自上一批次以来的新增、变更、撤销公示）/ export the changes since the last batch",
    )
    e.add_argument("--org", required=True, help="单位名称或编号 / org name or id")
    e.add_argument("--target", default="信用中国", help="推送平台 / target platform")
    e.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv", help="格式 / format")
    e.add_argument("--kind", choices=["penalty", "permit", "inspection", "enforcement"], help="类别 / kind")
    e.add_argument("--from", dest="date_from", help="决定日期起 / from")
    e.add_argument("--to", dest="date_to", help="决定日期止 / to")
    e.add_argument("--user", help="导出人用户名 / exporting user")
    e.add_argument("-o", "--output", required=True, help="输出文件 / output file")
    e.set_defaults(func=cmd_export)

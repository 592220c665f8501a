"""``zhifa complaints export``: orders with their replies and results, in the city platform's columns."""

from __future__ import annotations

from datetime import date
from pathlib import Path


def cmd_export(args) -> int:
    from zhifa.core.commandline import bind_cli_context, cli_error, setup_django

    setup_django()
    from zhifa.accounts.models import Org

    from . import selectors
    from .enums import Channel
    from .importers import platform_export
    from .models import WorkOrder

    try:
        d_from = date.fromisoformat(args.date_from) if args.date_from else None
        d_to = date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError:
        return cli_error("日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD")
    if args.channel and args.channel not in Channel.values:
        return cli_error(f"渠道应为 {'、'.join(Channel.values)} 之一 / unknown channel")
    qs = WorkOrder.objects.all()
    if args.org:
        org = Org.objects.filter(name=args.org).first()
        if org is None:
            return cli_error(f"单位“{args.org}”不存在")
        qs = qs.filter(org__path__startswith=org.path)
    out = Path(args.out)
    fmt = "csv" if out.suffix.lower() == ".csv" else "xlsx"
    qs = selectors.orders_for_platform(qs, date_from=d_from, date_to=d_to, channel=args.channel, by=args.by)
    with bind_cli_context():
        data = platform_export(qs, fmt=fmt, actor=None, filters={
            "from": d_from, "to": d_to, "channel": args.channel, "by": args.by, "org": args.org})
    out.write_bytes(data)
    print(f"已导出 {qs.count()} 件工单至 {out}")
    return 0


def register(sub) -> None:
    s = sub.add_parser("complaints", help="投诉举报 / complaints")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = csub.add_parser("export", help="按热线平台的列名导出工单及答复、办理结果 / export orders with replies and "
                                       "results in the city platform's columns (.xlsx or .csv by the file name)")
    c.add_argument("out", help="输出文件（.xlsx 或 .csv）/ output file")
    c.add_argument("--from", dest="date_from", help="起始日期 YYYY-MM-DD / from date")
    c.add_argument("--to", dest="date_to", help="截止日期 YYYY-MM-DD / to date (included)")
    c.add_argument("--channel", default="12345", help="渠道，默认 12345，空为全部 / channel ('' = all)")
    c.add_argument("--by", choices=["received", "replied"], default="received",
                   help="按收到日期或答复日期（仅已答复）筛选 / filter on the received or the reply date")
    c.add_argument("--org", help="只导出该单位（含下级）的工单 / only this unit's orders")
    c.set_defaults(func=cmd_export)

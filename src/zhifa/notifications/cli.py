"""``zhifa notifications tick``: the daily reminders (deadlines two working days away, …).

Exit codes: 0 success; 2 usage or input error."""

from __future__ import annotations

from zhifa.core.commandline import parse_cli_date


def cmd_tick(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from django.utils import timezone

    from zhifa.notifications.daily import run_daily

    on = args.on or timezone.localdate()
    results = run_daily(on=on)
    total = sum(n for _label, n in results)
    for label, n in results:
        print(f"{label}：{n} 条")
    print(f"{on:%Y-%m-%d} 共发送提醒 {total} 条（同一期限同一日重复运行不重复发送）")
    return 0


def register(sub) -> None:
    """Add ``zhifa notifications …`` to the ``zhifa`` parser."""
    s = sub.add_parser("notifications", help="消息提醒：每日期限提醒 / notifications: daily reminders")
    nsub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = nsub.add_parser(
        "tick",
        help="发送每日提醒（如两个工作日内届满的法定期限），可重复运行 / send the daily reminders (idempotent)",
    )
    c.add_argument("--on", type=parse_cli_date, help="以该日为今天 YYYY-MM-DD / take this date as today")
    c.set_defaults(func=cmd_tick)

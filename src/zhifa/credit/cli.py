"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS)."""

from __future__ import annotations

import sys


def cmd_rating_run(args) -> int:
    from zhifa.cli import _setup_django

    _setup_django()
    from zhifa.accounts.models import Org
    from zhifa.credit.services import rating_run

    org = Org.objects.filter(pk=args.org).first()
    if org is None:
        print(f"单位 {args.org} 不存在", file=sys.stderr)
        return 2
    n = rating_run(org=org, year=args.year, actor=None)
    print(f"{args.year} 年度初评完成：{n} 个信用主体；请负责人复核后公布")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("credit", help="信用管理 / credit management")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    r = csub.add_parser("rating-run", help="年度信用评价初评 / annual rating run (初评)")
    r.add_argument("--org", type=int, required=True, help="单位编号 / org id")
    r.add_argument("--year", type=int, required=True, help="考核年度 / year")
    r.set_defaults(func=cmd_rating_run)

"""``zhifa cases …``: the deadline list (期限看板) and the 案卷评查 of one case, for the operator on the
server (the commands run as the system, like the other ``zhifa`` reports).

Exit codes: 0 success (nothing overdue / no veto finding); 1 the thing checked is not OK (a clock is
overdue / a veto finding makes the file 不合格); 2 usage or input error (unknown unit or case).
"""

from __future__ import annotations

import sys

from zhifa.core.commandline import parse_cli_date


def cli_error(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def cmd_deadlines(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from django.utils import timezone

    from zhifa.accounts.models import Org
    from zhifa.cases.selectors import deadlines_for_org

    org = None
    if args.org:
        org = Org.objects.filter(name=args.org).first() or Org.objects.filter(short_name=args.org).first()
        if org is None:
            return cli_error(f"单位“{args.org}”不存在")
    if args.days < 0:
        return cli_error("--days 不能为负数")
    today = args.today or timezone.localdate()
    board = deadlines_for_org(org, today=today, days=args.days)
    scope = org.name if org else "全部单位"
    print(
        f"{scope}：截至 {today:%Y-%m-%d}，已超期 {len(board['overdue'])} 项，{args.days} 日内到期 {len(board['soon'])} 项"
    )
    rows = [("已超期", c) for c in board["overdue"]] + [("临期", c) for c in board["soon"]]
    if rows:
        print("状态\t届满日\t剩余天数\t案号\t当事人\t期限\t承办单位\t依据")
    for status, c in rows:
        print(
            f"{status}\t{c.due:%Y-%m-%d}\t{(c.due - today).days}\t{c.case.number or f'#{c.case_id}'}\t"
            f"{c.case.party_name}\t{c.get_kind_display()}\t{c.org.name}\t{c.article}"
        )
    return 1 if board["overdue"] else 0


def cmd_check(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.cases.models import Case
    from zhifa.cases.workflow.check import case_check_run

    case = Case.objects.filter(pk=args.case_id).select_related("org").first()
    if case is None:
        return cli_error(f"案件 {args.case_id} 不存在")
    r = case_check_run(case=case, actor=None, on=args.on, save=False)
    verdict = "合格" if r.passed else "不合格"
    print(
        f"{case.number or f'#{case.pk}'}（{case.party_name}，{case.get_state_display()}）案卷评查：{verdict}，{r.score}/{r.max_score} 分"
    )
    for f in r.findings:
        kind = "否决项" if f["veto"] else "扣分项"
        detail = f"：{f['detail']}" if f.get("detail") else ""
        print(f"{kind}\t{f['label']}\t环节：{f['where']}{detail}\t（{f['article']}）")
    if not r.findings:
        print("未发现问题")
    return 0 if r.passed else 1


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("cases", help="执法办案：期限看板、案卷评查 / cases: deadlines, case-file check")
    csub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")

    c = csub.add_parser(
        "deadlines",
        help="已超期和临期的法定期限（超期时退出码 1）/ overdue and due-soon legal deadlines (exit 1 if overdue)",
    )
    c.add_argument(
        "--org", help="单位名称（含下级单位；默认全部）/ unit name, with its sub-units (default: all)"
    )
    c.add_argument("--days", type=int, default=3, help="临期天数（默认 3）/ days ahead counted as due soon")
    c.add_argument("--today", type=parse_cli_date, help="以该日为今天 YYYY-MM-DD / take this date as today")
    c.set_defaults(func=cmd_deadlines)

    c = csub.add_parser(
        "check",
        help="案卷评查（有否决项时退出码 1）/ case-file check of one case (exit 1 on a veto finding)",
    )
    c.add_argument("case_id", type=int, help="案件编号（数据库编号）/ case id")
    c.add_argument("--on", type=parse_cli_date, help="评查日期 YYYY-MM-DD（默认今天）/ check as of this date")
    c.set_defaults(func=cmd_check)

"""``zhifa evidence …``: re-hash stored evidence (``verify``)."""

from __future__ import annotations

import sys


def cmd_verify(args) -> int:
    from zhifa.core.commandline import bind_cli_context, cli_error, setup_django

    setup_django()
    from zhifa.core.errors import DomainError
    from zhifa.evidence import selectors, services

    target_type, target_id = "", ""
    if args.target:
        target_type, sep, target_id = args.target.partition(":")
        if not target_type or (sep and not target_id):
            return cli_error("--target 的格式应为 类型[:编号]，如 cases.case:12 / --target must be TYPE[:ID]")
    checked = bad = 0
    try:
        with bind_cli_context():
            for item in selectors.items_to_verify(target_type=target_type, target_id=target_id, ids=args.id):
                outcome = services.evidence_verify(item=item, actor=None)
                checked += 1
                if not outcome.ok:
                    bad += 1
                    print(outcome.message)
                elif args.verbose:
                    print(outcome.message)
    except DomainError as e:
        return cli_error(e.message)
    if checked == 0:
        print("没有需要校验的证据材料")
        return 0
    if bad:
        print(f"共校验 {checked} 件证据材料，{bad} 件异常（缺失或被改动）", file=sys.stderr)
        return 1
    print(f"共校验 {checked} 件证据材料，全部完整")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    s = sub.add_parser("evidence", help="全过程记录（证据材料）/ evidence files")
    esub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")
    c = esub.add_parser(
        "verify",
        help="重新计算存储文件的摘要，报告缺失或被改动的证据 / re-hash stored evidence, "
        "report missing or altered objects (exit 1)",
    )
    c.add_argument("--target", help="只校验某对象的证据，如 cases.case:12 或 cases.case / only this target")
    c.add_argument(
        "--id", type=int, action="append", help="只校验此编号的证据（可重复）/ only this item id (repeatable)"
    )
    c.add_argument("-v", "--verbose", action="store_true", help="逐件显示结果 / print every item")
    c.set_defaults(func=cmd_verify)

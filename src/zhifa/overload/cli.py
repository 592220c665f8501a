"""``zhifa overload …``: ingest WIM files, screen a file, compute an Art 43 fine proposal, evaluate 一超四罚.

Exit codes: 0 success; 1 some rows were rejected (the rest went in / were screened); 2 usage or input
error.
"""

from __future__ import annotations

import sys
from pathlib import Path


def cli_error(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def _org(name: str | None):
    from zhifa.accounts.models import Org

    if name:
        return Org.objects.filter(name=name).first()
    bureaus = list(Org.objects.filter(kind="bureau")[:2])
    return bureaus[0] if len(bureaus) == 1 else None


def cmd_ingest(args) -> int:
    from zhifa.core.commandline import bind_cli_context, setup_django

    setup_django()
    from zhifa.core.errors import DomainError
    from zhifa.overload.records import write_errors
    from zhifa.overload.services import ingest_file

    org = _org(args.org)
    if org is None:
        return cli_error(
            "请用 --org 指定数据所属单位（如：郁南县交通运输局）"
            if not args.org
            else f"单位“{args.org}”不存在"
        )
    failed = 0
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            return cli_error(f"文件不存在：{path}")
        try:
            with bind_cli_context():
                batch = ingest_file(path=path, actor=None, org=org, channel="cli")
        except DomainError as e:
            return cli_error(e.message)
        print(
            f"{path.name}：收到 {batch.received} 条，新存入 {batch.stored} 条，已存在 {batch.already_present} 条，"
            f"拒收 {batch.rejected} 条，新增待审核 {batch.leads_created} 条"
        )
        if batch.errors:
            failed += batch.rejected
            err_path = Path(args.errors_dir or path.parent) / f"{path.stem}.errors.csv"
            write_errors(batch.errors, err_path)
            for e in batch.errors[: args.show_errors]:
                print(f"  第 {e['row'] or '—'} 行（{e['record_id'] or '无流水号'}）：{e['reason']}")
            print(f"  错误行已写入 {err_path}")
    return 1 if failed else 0


def cmd_screen(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.overload import rules, screening, services
    from zhifa.overload.records import iter_raw, parse_rows, to_table, write_errors

    path = Path(args.file)
    if not path.is_file():
        return cli_error(f"文件不存在：{path}")
    try:
        tolerance = rules.parse_tolerance_spec(args.tolerance or "")
    except ValueError as e:
        return cli_error(f"--tolerance 无效：{e}")
    params = screening.Params.default(
        province=args.province or "", tolerance=tolerance, dedupe_minutes=args.dedupe_minutes
    )
    from zhifa.overload.models import Station

    infos = services.all_station_infos()
    con = screening.connect(infos)
    rejected = []
    try:
        if path.suffix.lower() == ".parquet":
            source = screening.parquet_source([str(path)])
        else:
            try:
                items = list(iter_raw(path))
            except ValueError as e:
                return cli_error(f"文件无法读取：{e}")
            code_sets = {s.code: s.plate_code_set for s in Station.objects.all()}
            parsed = parse_rows(items, code_sets=code_sets)
            rejected = parsed.errors
            con.register("rec", to_table(parsed.rows))
            source = "SELECT * FROM rec"
        sql = screening.output_select(screening.screening_sql(source, params))
        if args.out:
            con.execute(f"COPY ({sql}) TO '{args.out.replace(chr(39), chr(39) * 2)}' (HEADER, DELIMITER ',')")
        else:
            import csv

            from zhifa.core.exports import spreadsheet_row

            cur = con.execute(sql)
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow([c[0] for c in cur.description])
            while batch := cur.fetchmany(10_000):
                writer.writerows(spreadsheet_row(r) for r in batch)
            sys.stdout.flush()
        counts = dict(con.execute(f"SELECT verdict, count(*) FROM ({sql}) GROUP BY 1").fetchall())
    finally:
        con.close()
    summary = "，".join(f"{screening.VERDICTS[v]} {counts.get(v, 0)}" for v in screening.VERDICTS)
    print(f"筛查完成：{summary}；拒收 {len(rejected)} 行", file=sys.stderr)
    if rejected:
        err_path = Path(args.out).with_suffix(".errors.csv") if args.out else path.with_suffix(".errors.csv")
        write_errors(rejected, err_path)
        for e in rejected[: args.show_errors]:
            print(f"第 {e['row']} 行：{e['reason']}", file=sys.stderr)
        print(f"错误行已写入 {err_path}", file=sys.stderr)
    return 1 if rejected else 0


def cmd_fine(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.core.errors import DomainError
    from zhifa.overload.rules import fine_proposal

    if args.excess_kg < 0:
        return cli_error("超限质量不能为负数")
    try:
        f = fine_proposal(args.excess_kg, rounding=args.rounding)
    except DomainError as e:
        return cli_error(e.message)
    print("警告" if f.warning else f"{f.amount_fen // 100} 元")
    print(f.rule)
    print(f.explanation)
    return 0


def cmd_sanctions(args) -> int:
    from zhifa.core.commandline import bind_cli_context, setup_django

    setup_django()
    from django.utils import timezone

    from zhifa.overload.services import sanctions_evaluate

    org = _org(args.org)
    if org is None:
        return cli_error("请用 --org 指定单位")
    with bind_cli_context():
        raised = sanctions_evaluate(org=org, on=args.on or timezone.localdate())
    for s in raised:
        print(f"{s.get_kind_display()}\t{s.subject_name}\t{s.count}\t{s.measure}")
    print(f"一超四罚线索 {len(raised)} 条")
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    from zhifa.core.commandline import parse_cli_date

    s = sub.add_parser("overload", help="治超非现场执法 / non-site overload enforcement")
    osub = s.add_subparsers(dest="op", required=True, metavar="操作/operation")

    c = osub.add_parser(
        "ingest", help="接收检测数据文件（CSV/JSON 行），幂等 / ingest WIM record files (idempotent)"
    )
    c.add_argument("files", nargs="+", metavar="FILE", help="CSV 或 JSONL 文件 / CSV or JSON-lines files")
    c.add_argument("--org", help="数据所属单位 / owning unit (default: the only bureau)")
    c.add_argument("--errors-dir", help="错误行文件目录 / where FILE.errors.csv goes (default: beside FILE)")
    c.add_argument("--show-errors", type=int, default=20, help="最多显示多少条错误 / row errors to print")
    c.set_defaults(func=cmd_ingest)

    c = osub.add_parser("screen", help="按第三条限值筛查文件 / screen a file against the Art 3 limits")
    c.add_argument("file", metavar="FILE", help="CSV、JSONL 或 Parquet 文件 / CSV, JSONL or Parquet")
    c.add_argument("--out", help="结果 CSV（默认标准输出）/ result CSV (default stdout)")
    c.add_argument(
        "--tolerance", help="允许误差：5 或 2=2,5=5,10=10（百分比）/ tolerance %%, all or per class"
    )
    c.add_argument("--province", help="省份（按省配置的允许误差）/ province for per-province tolerance")
    c.add_argument(
        "--dedupe-minutes",
        type=int,
        default=None,
        help="同车同点重复检测窗口（分钟）/ duplicate window in minutes (default 60)",
    )
    c.add_argument("--show-errors", type=int, default=20, help="最多显示多少条错误 / row errors to print")
    c.set_defaults(func=cmd_screen)

    c = osub.add_parser("fine", help="第四十三条拟罚款 / Art 43 fine proposal for an excess mass")
    c.add_argument("excess_kg", type=int, help="超限质量（千克）/ excess mass in kg")
    c.add_argument(
        "--rounding",
        choices=["floor", "ceil"],
        help="不足1000千克部分的计算（默认取规则参数，环境变量 ZHIFA_RULE_OVERLOAD_PART_TONNE_ROUNDING）"
        " / part-tonne rounding (default: the rule parameter)",
    )
    c.set_defaults(func=cmd_fine)

    c = osub.add_parser(
        "sanctions", help="一超四罚评估（近12个月）/ evaluate 一超四罚 over the last 12 months"
    )
    c.add_argument("--org", help="单位 / unit")
    c.add_argument("--on", type=parse_cli_date, help="评估日期 / as of date")
    c.set_defaults(func=cmd_sanctions)

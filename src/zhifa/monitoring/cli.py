"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS):

``zhifa monitor ingest|metrics|drain|bind``, ``zhifa jt808 decode HEX``, ``zhifa gateway jt808``.
Exit codes: 0 success; 1 the thing checked is not OK (rows rejected, frame invalid); 2 usage/input error.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def _setup():
    from zhifa.cli import _setup_django

    _setup_django()


def _err(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def cmd_ingest(args) -> int:
    _setup()
    from .store import Store

    store = Store(args.store) if args.store else Store()
    try:
        res = store.ingest_files(args.files)
    except (FileNotFoundError, ValueError) as e:
        return _err(str(e))
    except Exception as e:  # noqa: BLE001 - a malformed file: say so in Chinese
        return _err(f"读取文件失败：{e}")
    print(
        f"收到 {res.received} 条，新入库 {res.stored} 条，重复 {res.duplicates} 条，拒收 {res.rejected} 条"
        f"（写入分区 {res.partitions} 个）"
    )
    for line in res.errors[: args.show_errors]:
        print(line)
    return 1 if res.rejected else 0


def cmd_metrics(args) -> int:
    _setup()
    from datetime import date

    from zhifa.accounts.models import Org

    from . import engine as eng
    from .errors import MonitoringError
    from .rules import rules_for
    from .services import check_month, vehicles_for
    from .store import Store

    try:
        check_month(args.month)
    except Exception as e:  # noqa: BLE001
        return _err(getattr(e, "message", str(e)))
    inputs = [Path(p) for p in args.inputs]
    tmp = None
    if inputs and all(p.is_file() for p in inputs):
        tmp = tempfile.TemporaryDirectory(prefix="zhifa-mon-")
        store = Store(tmp.name)
        res = store.ingest_files(inputs)
        if res.rejected:
            print(f"注意：{res.rejected} 条记录因时间无法识别被拒收", file=sys.stderr)
    elif len(inputs) == 1 and inputs[0].is_dir():
        store = Store(inputs[0])
    elif not inputs:
        store = Store()
    else:
        return _err("请给出一个存储目录，或若干 CSV/Parquet 文件")
    rules = rules_for(date.fromisoformat(args.month + "-01"))
    if args.org:
        org = Org.objects.filter(name=args.org).first()
        if org is None:
            return _err(f"单位“{args.org}”不存在")
        vehicles = vehicles_for(org, month=args.month, rules=rules, store=store)
    else:
        vehicles = []
        for org in Org.objects.filter(kind__in=["bureau", "county"]):
            vehicles += vehicles_for(org, month=args.month, rules=rules, store=store)
        seen = set()
        vehicles = [
            v
            for v in vehicles
            if not ((v.plate, v.plate_color) in seen or seen.add((v.plate, v.plate_color)))
        ]
    files = [str(f) for f in store.month_files(args.month)]
    if not vehicles:
        vehicles = _vehicles_from_data(files)
    try:
        res = eng.compute(files, vehicles, rules, month=args.month, engine=args.engine)
    except ValueError as e:
        return _err(str(e))
    except ImportError:
        return _err(MonitoringError.ENGINE.template.format(value=args.engine) + "（未安装 pyspark）")
    out = Path(args.out)
    eng.write_outputs(res, out)
    s = res.summary
    print(
        f"{args.month} 统计完成（{args.engine}，{res.seconds:.1f} 秒）：车辆 {s['counts']['vehicles_required']} 辆，"
        f"定位记录 {s['counts']['records']} 条，违规 {s['counts']['violations']} 起"
    )
    for k, v in s["rates"].items():
        print(f"  {k}：{'—' if v is None else f'{v:.2f}%'}")
    print(f"输出：{out}/vehicle_month.csv enterprise_month.csv violations.csv summary.json")
    if tmp:
        tmp.cleanup()
    return 0


def _vehicles_from_data(files):
    """No registry for this input: every plate in the data counts as a vehicle of unknown type."""
    import duckdb

    from .engine import VehicleInfo

    if not files:
        return []
    con = duckdb.connect()
    rows = con.execute(
        "SELECT DISTINCT plate, plate_color FROM read_parquet(?) WHERE plate <> '' ORDER BY 1, 2", [files]
    ).fetchall()
    con.close()
    return [VehicleInfo(p, c, "", "", "", 1) for p, c in rows]


def cmd_drain(args) -> int:
    _setup()
    from .gateway import drain_wal
    from .store import Store

    store = Store(args.store) if args.store else Store()
    n = drain_wal(store, include_open=args.include_open)
    print(f"已将 {n} 条网关定位数据写入列式存储")
    return 0


def cmd_bind(args) -> int:
    _setup()
    from zhifa.core.errors import DomainError
    from zhifa.core.identifiers import parse_plate_color
    from zhifa.registry.models import Vehicle

    from .services import terminal_bind

    try:
        color = parse_plate_color(args.color, code_set="jtt697").value
    except ValueError as e:
        return _err(str(e))
    v = Vehicle.objects.filter(plate=args.plate, plate_color=color).first()
    if v is None:
        return _err(f"车辆 {args.plate}（{args.color}）不在监管对象库中")
    from zhifa.cli import _bind_cli_context

    try:
        with _bind_cli_context():
            t = terminal_bind(
                terminal_no=args.terminal, vehicle=v, actor=None, auth_code=args.auth_code or ""
            )
    except DomainError as e:
        return _err(e.message)
    print(f"终端 {t.terminal_no} 已绑定 {v}，鉴权码 {t.auth_code}")
    return 0


def cmd_decode(args) -> int:
    from . import jt808

    text = " ".join(args.hex)
    if text == "-":
        text = sys.stdin.read()
    try:
        frame = jt808.decode_frame(jt808.parse_hex(text))
    except jt808.FrameError as e:
        print(json.dumps({"error": str(e)}, ensure_ascii=False))
        return 1
    print(json.dumps(jt808.describe(frame), ensure_ascii=False, indent=2))
    return 0


def cmd_gateway(args) -> int:
    _setup()
    from .gateway import run_gateway
    from .store import Store

    run_gateway(
        args.host, args.port, store=Store(args.store) if args.store else None, drain_every=args.drain_every
    )
    return 0


def register(sub) -> None:
    """Add this app's subcommands to the ``zhifa`` parser's subparsers ``sub``."""
    mon = sub.add_parser(
        "monitor", help="两客一危动态监控 / dynamic monitoring of coaches and dangerous goods"
    )
    ms = mon.add_subparsers(dest="monitor_cmd", required=True)
    p = ms.add_parser("ingest", help="导入定位数据（CSV/Parquet） / ingest position files")
    p.add_argument("files", nargs="+", help="文件 / files (.csv, .parquet)")
    p.add_argument("--store", help="列式存储目录（默认 $ZHIFA_DATA_DIR/monitoring） / store directory")
    p.add_argument("--show-errors", type=int, default=20, help="显示拒收行数 / rejected rows to show")
    p.set_defaults(func=cmd_ingest)
    p = ms.add_parser("metrics", help="月度指标与违规 / monthly KPIs and violations")
    p.add_argument(
        "inputs", nargs="*", help="存储目录或文件 / store directory or files (default: the platform store)"
    )
    p.add_argument("--month", required=True, help="月份 YYYY-MM / month")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb", help="计算引擎 / engine")
    p.add_argument("--out", required=True, help="输出目录 / output directory")
    p.add_argument("--org", help="统计单位（默认全部） / unit (default: all)")
    p.set_defaults(func=cmd_metrics)
    p = ms.add_parser("drain", help="网关日志入库 / move gateway log into the store")
    p.add_argument("--store", help="列式存储目录 / store directory")
    p.add_argument(
        "--include-open", action="store_true", help="包括网关未关闭的日志（网关已停止时） / also open logs"
    )
    p.set_defaults(func=cmd_drain)
    p = ms.add_parser("bind", help="绑定终端与车辆 / bind a terminal to a vehicle")
    p.add_argument("terminal", help="终端手机号 / terminal number")
    p.add_argument("plate", help="车牌号 / plate")
    p.add_argument("color", help="车牌颜色 / plate colour (黄色, yellow, 2)")
    p.add_argument("--auth-code", help="鉴权码（默认随机） / auth code")
    p.set_defaults(func=cmd_bind)

    jt = sub.add_parser("jt808", help="JT/T 808 工具 / JT/T 808 tools")
    js = jt.add_subparsers(dest="jt808_cmd", required=True)
    p = js.add_parser("decode", help="解析十六进制帧为 JSON / decode a hex frame to JSON")
    p.add_argument("hex", nargs="+", help="十六进制帧（可含空格；- 表示从标准输入读取） / hex frame")
    p.set_defaults(func=cmd_decode)

    gw = sub.add_parser("gateway", help="接入网关 / gateways")
    gs = gw.add_subparsers(dest="gateway_cmd", required=True)
    p = gs.add_parser("jt808", help="JT/T 808 终端接入网关 / JT/T 808 terminal gateway")
    p.add_argument("--host", default="0.0.0.0", help="监听地址 / host")
    p.add_argument("--port", type=int, default=7611, help="端口 / port")
    p.add_argument("--store", help="列式存储目录 / store directory")
    p.add_argument(
        "--drain-every", type=float, default=60.0, help="日志入库间隔秒数 / seconds between drains"
    )
    p.set_defaults(func=cmd_gateway)

"""Subcommands of ``zhifa`` contributed by this app (see zhifa.cli.EXTENSIONS):

``zhifa monitor ingest|metrics|drain|bind|zones import``, ``zhifa jt808 decode HEX``,
``zhifa jt808 simulate``, ``zhifa gateway jt808``; and from jt809/cli.py ``zhifa jt809 …``, ``zhifa gateway jt809``.
Exit codes: 0 success; 1 the thing checked is not OK (rows rejected, frame invalid); 2 usage/input error.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def _setup():
    from zhifa.core.commandline import setup_django

    setup_django()


def cli_error(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def cmd_ingest(args) -> int:
    _setup()
    from .store import Store

    store = Store(args.store) if args.store else Store()
    try:
        res = store.ingest_files(args.files)
    except (FileNotFoundError, ValueError) as e:
        return cli_error(str(e))
    except Exception as e:  # noqa: BLE001 - a malformed file: say so in Chinese
        return cli_error(f"读取文件失败：{e}")
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
        return cli_error(getattr(e, "message", str(e)))
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
        return cli_error("请给出一个存储目录，或若干 CSV/Parquet 文件")
    rules = rules_for(date.fromisoformat(args.month + "-01"))
    if args.org:
        org = Org.objects.filter(name=args.org).first()
        if org is None:
            return cli_error(f"单位“{args.org}”不存在")
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
    from .zone_services import zones_in_force  # 路段限速 of the unit (or of every unit)

    zones = zones_in_force(Org.objects.filter(name=args.org).first() if args.org else None, month=args.month)
    try:
        res = eng.compute(files, vehicles, rules, month=args.month, engine=args.engine, zones=zones)
    except ValueError as e:
        return cli_error(str(e))
    except ImportError:
        return cli_error(MonitoringError.ENGINE.template.format(value=args.engine) + "（未安装 pyspark）")
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
    from zhifa.core.identifiers import normalise_plate, parse_plate_color
    from zhifa.registry.models import Vehicle

    from .services import terminal_bind

    try:
        color = parse_plate_color(args.color, code_set="jtt697").value
    except ValueError as e:
        return cli_error(str(e))
    v = Vehicle.objects.filter(plate=normalise_plate(args.plate), plate_color=color).first()
    if v is None:
        return cli_error(f"车辆 {args.plate}（{args.color}）不在监管对象库中")
    from zhifa.core.commandline import bind_cli_context

    try:
        with bind_cli_context():
            t = terminal_bind(
                terminal_no=args.terminal, vehicle=v, actor=None, auth_code=args.auth_code or ""
            )
    except DomainError as e:
        return cli_error(e.message)
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


def cmd_simulate(args) -> int:
    """A simulated terminal against a gateway: register, authenticate, K 0x0200 reports along a winding
    road, then optionally 0x0704 盲区补报 batches; prints each message and its reply. No database."""
    import asyncio
    import time
    from datetime import datetime

    from zhifa.core.identifiers import parse_plate_color, plate_color_code

    from . import terminal_sim as ts

    number = args.terminal_no.strip()
    if not number.isdigit() or len(number) > (20 if args.edition == "2019" else 12):
        return cli_error(f"终端手机号“{number}”无效：应为数字，2013 版不超过 12 位，2019 版不超过 20 位")
    try:
        colour = parse_plate_color(args.plate_color, code_set="jtt697")
    except ValueError as e:
        return cli_error(str(e))
    code = plate_color_code(colour, "jtt697")
    if code is None:
        return cli_error(f"车牌颜色“{args.plate_color}”在 JT/T 697.7 中没有代码")
    if args.points < 0 or args.batch < 0 or args.points + args.batch == 0:
        return cli_error("--points 与 --batch 不能为负数，且至少发送 1 条定位")
    if args.interval <= 0:
        return cli_error("--interval 应为正整数（秒）")
    if args.start:
        try:
            start = datetime.fromisoformat(args.start.strip())
        except ValueError:
            return cli_error(f"开始时间“{args.start}”无法识别，应为 ISO 8601，如 2026-03-04T08:00:00+08:00")
        start_ts = int((start if start.tzinfo else start.replace(tzinfo=ts.CST)).timestamp())
    elif args.realtime:
        start_ts = int(time.time())
    else:  # the last fix now: every time in the past, as the gateway expects
        start_ts = int(time.time()) - (args.points + args.batch - 1) * args.interval
    fixes = ts.route(
        args.points + args.batch, start_ts=start_ts, interval_s=args.interval, lon=args.lon, lat=args.lat
    )

    def when(t: int) -> str:
        return datetime.fromtimestamp(t, tz=ts.CST).strftime("%Y-%m-%d %H:%M:%S")

    def ack(n) -> str:
        return f"结果 {n}（{ts.ACK_RESULTS.get(n, '未知')}）"

    async def session() -> int:
        term = ts.SimTerminal(number, args.plate, code, edition=args.edition)
        print(
            f"连接 {args.host}:{args.port}（JT/T 808-{args.edition}，终端 {number}，{args.plate} {colour.label}）",
            flush=True,
        )
        try:
            auth = await asyncio.wait_for(term.connect(args.host, args.port), args.timeout)
        except PermissionError as e:
            await term.close()
            return cli_error(f"注册或鉴权被网关拒绝：{e}", 1)
        print(f"0x0100 终端注册 → 0x8100 结果 0（成功），鉴权码 {auth}")
        print("0x0102 终端鉴权 → 0x8001 结果 0（成功）", flush=True)
        sent = 0
        for i, f in enumerate(fixes[: args.points], start=1):
            if args.realtime and i > 1:
                await asyncio.sleep(args.interval)
            ok = await asyncio.wait_for(
                term.report(
                    ts=f.ts, lat=f.lat, lon=f.lon, speed_kmh=f.speed_kmh, heading=f.heading, status=0b11
                ),
                args.timeout,
            )
            sent += 1
            print(
                f"0x0200 位置信息汇报 {i}/{args.points} {when(f.ts)} {f.lon:.6f},{f.lat:.6f} "
                f"{f.speed_kmh:.1f} km/h → 0x8001 {ack(term.last_result)}",
                flush=True,
            )
            if not ok:
                break
        rest = fixes[args.points :] if sent == args.points else []
        for k in range(0, len(rest), BATCH_MAX):  # a body holds at most 1023 bytes: 30 fixes per 0x0704
            chunk = rest[k : k + BATCH_MAX]
            ok = await asyncio.wait_for(term.report_batch(chunk), args.timeout)
            sent += len(chunk)
            print(
                f"0x0704 定位数据批量上传（盲区补报 {len(chunk)} 条，{when(chunk[0].ts)} 至 "
                f"{when(chunk[-1].ts)}） → 0x8001 {ack(term.last_result)}",
                flush=True,
            )
            if not ok:
                break
        await term.close()
        print(f"完成：发送定位 {sent} 条，网关确认 {len(term.acked)} 条")
        if len(term.acked) < len(fixes):
            return cli_error(f"有 {len(fixes) - len(term.acked)} 条定位未得到网关确认", 1)
        return 0

    try:
        return asyncio.run(session())
    except TimeoutError:
        return cli_error(f"网关 {args.host}:{args.port} 在 {args.timeout:g} 秒内未应答", 1)
    except ConnectionRefusedError:
        return cli_error(f"无法连接网关 {args.host}:{args.port}：连接被拒绝（网关未启动或地址、端口有误）", 1)
    except OSError as e:  # reset, unreachable
        return cli_error(f"无法连接网关 {args.host}:{args.port}：{e.strerror or e}", 1)


BATCH_MAX = 30  # 0x0704 items of 30 bytes each: 30 fit a body's 1023 bytes


def cmd_gateway(args) -> int:
    _setup()
    from .gateway import run_gateway
    from .store import Store

    run_gateway(
        args.host, args.port, store=Store(args.store) if args.store else None, drain_every=args.drain_every,
        auth_timeout=args.auth_timeout,
    )
    return 0


def _zone_org(code: str | None):
    """``--org``: a unit's name, 行政区划代码 or 统一社会信用代码; none given: the only bureau."""
    from django.db.models import Q

    from zhifa.accounts.models import Org

    if code:
        return (
            Org.objects.filter(Q(name=code) | Q(division_code=code) | Q(uscc=code)).order_by("path").first()
        )
    bureaus = list(Org.objects.filter(kind="bureau")[:2])
    return bureaus[0] if len(bureaus) == 1 else None


def cmd_zones_import(args) -> int:
    _setup()
    from zhifa.core.commandline import bind_cli_context
    from zhifa.core.errors import DomainError

    from .zone_services import read_geojson, speed_zones_import

    org = _zone_org(args.org)
    if org is None:
        return cli_error(
            f"单位“{args.org}”不存在" if args.org else "请用 --org 指定设置单位（名称或行政区划代码）"
        )
    try:
        data = read_geojson(Path(args.file))
        with bind_cli_context():
            res = speed_zones_import(data=data, org=org, actor=None)
    except DomainError as e:
        return cli_error(e.message)
    print(
        f"{Path(args.file).name}：新增路段 {res.created} 个，更新 {res.updated} 个，未变 {res.unchanged} 个，"
        f"拒收 {len(res.errors)} 个"
    )
    for n, reason in res.errors[: args.show_errors]:
        print(f"第 {n} 个要素：{reason}")
    return 1 if res.errors else 0


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
    zn = ms.add_parser("zones", help="路段限速图层 / road-segment speed limits")
    zs = zn.add_subparsers(dest="zones_cmd", required=True)
    p = zs.add_parser("import", help="从 GeoJSON 导入路段限速 / import zones from GeoJSON")
    p.add_argument("file", help="GeoJSON 文件（WGS-84） / FeatureCollection of Polygon/MultiPolygon")
    p.add_argument("--org", help="设置单位名称或行政区划代码（默认唯一的交通运输局） / unit name or code")
    p.add_argument("--show-errors", type=int, default=20, help="显示拒收要素数 / rejected features to show")
    p.set_defaults(func=cmd_zones_import)

    jt = sub.add_parser("jt808", help="JT/T 808 工具 / JT/T 808 tools")
    js = jt.add_subparsers(dest="jt808_cmd", required=True)
    p = js.add_parser("decode", help="解析十六进制帧为 JSON / decode a hex frame to JSON")
    p.add_argument("hex", nargs="+", help="十六进制帧（可含空格；- 表示从标准输入读取） / hex frame")
    p.set_defaults(func=cmd_decode)
    p = js.add_parser(
        "simulate",
        help="模拟车载终端：注册、鉴权、上报定位 / simulated terminal: register, authenticate, report",
    )
    p.add_argument("--host", default="127.0.0.1", help="网关地址 / gateway host")
    p.add_argument("--port", type=int, default=7611, help="网关端口 / gateway port")
    p.add_argument("--terminal-no", required=True, help="终端手机号 / terminal number")
    p.add_argument("--plate", required=True, help="车牌号 / plate")
    p.add_argument(
        "--plate-color", default="2", help="车牌颜色（JT/T 697.7 代码或名称，默认 2 黄色） / plate colour"
    )
    p.add_argument("--edition", choices=["2013", "2019"], default="2013", help="协议版本 / protocol edition")
    p.add_argument("--points", type=int, default=10, help="逐条上报的定位数（0x0200） / single reports")
    p.add_argument(
        "--batch", type=int, default=0, help="其后批量补报的定位数（0x0704 盲区补报） / points sent in 0x0704"
    )
    p.add_argument("--interval", type=int, default=30, help="定位间隔秒数 / seconds between fixes")
    p.add_argument(
        "--start",
        help="第一个定位的时间（ISO 8601，无时区按北京时间；默认使最后一个定位为当前时间） / time of the first fix",
    )
    p.add_argument("--lon", type=float, default=111.52, help="起点经度 / start longitude")
    p.add_argument("--lat", type=float, default=23.23, help="起点纬度 / start latitude")
    p.add_argument(
        "--realtime",
        action="store_true",
        help="按间隔实时发送（默认立即发送） / wait the interval between reports",
    )
    p.add_argument("--timeout", type=float, default=10.0, help="等待应答秒数 / seconds to wait for a reply")
    p.set_defaults(func=cmd_simulate)

    gw = sub.add_parser("gateway", help="接入网关 / gateways")
    gs = gw.add_subparsers(dest="gateway_cmd", required=True)
    p = gs.add_parser("jt808", help="JT/T 808 终端接入网关 / JT/T 808 terminal gateway")
    p.add_argument("--host", default="0.0.0.0", help="监听地址 / host")
    p.add_argument("--port", type=int, default=7611, help="端口 / port")
    p.add_argument("--store", help="列式存储目录 / store directory")
    p.add_argument(
        "--drain-every", type=float, default=60.0, help="日志入库间隔秒数 / seconds between drains"
    )
    p.add_argument(
        "--auth-timeout", type=float, default=30.0,
        help="连接后未完成终端鉴权即断开的秒数 / seconds before an unauthenticated connection is closed",
    )
    p.set_defaults(func=cmd_gateway)

    from .jt809.cli import register as register_jt809

    register_jt809(sub, gs)

"""``zhifa jt809 decode|simulate|platform|draw`` and ``zhifa gateway jt809`` (registered by monitoring/cli.py).
Exit codes: 0 success; 1 the thing checked is not OK (frame invalid, login refused); 2 usage/input error."""

from __future__ import annotations

import asyncio
import json
import sys
import time


def _err(msg: str, code: int = 2) -> int:
    print(msg, file=sys.stderr)
    return code


def _crypto(args):
    from . import protocol as p

    vals = (args.m1, args.ia1, args.ic1)
    if all(v is None for v in vals):
        return None
    if any(v is None for v in vals):
        raise p.FrameError("加密参数 --m1、--ia1、--ic1 须同时给出")
    return p.Crypto(*vals)


def cmd_decode(args) -> int:
    from . import protocol as p

    text = sys.stdin.read() if args.hex == ["-"] else " ".join(args.hex)
    try:
        m = p.decode(p.parse_hex(text), version=args.version, crypto=_crypto(args))
    except p.FrameError as e:
        return _err(f"无法解析：{e}", 1)
    print(json.dumps(p.describe(m, args.version), ensure_ascii=False, indent=2))
    return 0


def cmd_simulate(args) -> int:
    from . import protocol as p
    from .simulator import SimPlatform, SimPosition

    try:
        crypto = _crypto(args)
    except p.FrameError as e:
        return _err(str(e))
    plat = SimPlatform(args.center_id, args.user_id, args.password, version=args.version, crypto=crypto,
                       answer_delay=None if args.no_answer else args.answer_delay,
                       supervision_result=args.supervision_result)  # fmt: skip

    async def run() -> int:
        try:
            result = await plat.connect(args.host, args.port, sub_host=args.sub_host)
        except (TimeoutError, OSError) as e:
            return _err(f"无法连接上级平台 {args.host}:{args.port}：{e}", 1)
        if result != 0:
            print(f"登录被拒绝：结果 {result}（{p.LOGIN_RESULTS.get(result, '未知')}）")
            await plat.close(logout=False)
            return 1
        print(f"已登录上级平台 {args.host}:{args.port}（{args.version} 版，接入码 {args.center_id}）")
        start = int(time.time()) - args.points * args.interval
        plates = [f"粤W{80000 + i:05d}" for i in range(args.vehicles)]
        for k in range(args.points):
            for i, plate in enumerate(plates):
                plat.position(
                    SimPosition(plate, 2, start + k * args.interval, 111.5 + i * 0.01, 23.2 + k * 0.0005)
                )
            await plat.drain()
            if args.realtime:
                await asyncio.sleep(args.interval)
        print(f"已发送 {len(plat.sent)} 条实时定位（{args.vehicles} 辆车）")
        if args.resend:
            plat.history(plat.sent)
            await plat.drain()
            print(f"已补发 {len(plat.sent)} 条（0x1203，每包最多 5 条）")
        deadline = time.monotonic() + args.stay
        while time.monotonic() < deadline:
            plat.keepalive()
            await asyncio.sleep(min(30, max(0.1, deadline - time.monotonic())))
        for q in plat.spotchecks:
            print(
                f"收到查岗：{q['content']}"
                + ("（未应答）" if args.no_answer else f"（{args.answer_delay} 秒后应答）")
            )
        for s in plat.supervisions:
            print(
                f"收到报警督办：{s['vehicle_no']} 督办ID {s['supervision_id']}，已应答结果 {args.supervision_result}"
            )
        await plat.close()
        return 0

    return asyncio.run(run())


def cmd_gateway(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from ..gateway import use_uvloop
    from ..store import Store
    from .server import Jt809Server
    from .services import DbBackend, load_peers

    peers = load_peers()
    srv = Jt809Server(Store(args.store) if args.store else Store(), peers, DbBackend(), drain_every=args.drain_every,
                      keepalive_timeout=args.keepalive_timeout)  # fmt: skip
    print(
        f"JT/T 809 上级平台服务已启动：{args.host}:{args.port}（已登记下级平台 {len(peers)} 个；按 Ctrl+C 停止）",
        flush=True,
    )
    use_uvloop()
    try:
        asyncio.run(srv.serve(args.host, args.port))
    except KeyboardInterrupt:
        pass
    return 0


def cmd_platform(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from zhifa.accounts.models import Org

    from ..models import Jt809Platform

    org = Org.objects.filter(name=args.org).first() or Org.objects.filter(code=args.org).first()
    if org is None:
        return _err(f"找不到单位“{args.org}”")
    if len(args.password.encode("gbk", "replace")) > 8:
        return _err("登录密码最多 8 个字节（JT/T 809 密码字段为 8 字节）")
    pl, created = Jt809Platform.objects.update_or_create(
        center_id=args.center_id,
        defaults={"org": org, "name": args.name, "enterprise_name": args.enterprise or "", "user_id": args.user_id,
                  "password": args.password, "allowed_ips": args.ips or "", "version": args.version,
                  "vehicles_expected": args.vehicles},
    )  # fmt: skip
    print(f"{'已登记' if created else '已更新'}下级平台：{pl.name}（接入码 {pl.center_id}，{pl.version} 版）")
    return 0


def cmd_draw(args) -> int:
    from zhifa.core.commandline import setup_django

    setup_django()
    from datetime import date

    from django.utils import timezone

    from zhifa.accounts.models import Org
    from zhifa.core.errors import DomainError

    from .services import spotcheck_draw

    org = Org.objects.filter(name=args.org).first() or Org.objects.filter(code=args.org).first()
    if org is None:
        return _err(f"找不到单位“{args.org}”")
    try:
        day = date.fromisoformat(args.date) if args.date else timezone.localdate()
    except ValueError:
        return _err(f"日期“{args.date}”格式应为 YYYY-MM-DD")
    try:
        checks = spotcheck_draw(org=org, day=day, n=args.n)
    except DomainError as e:
        return _err(e.message)
    for sc in checks:
        print(f"{timezone.localtime(sc.send_after):%Y-%m-%d %H:%M:%S}  {sc.platform.name}  {sc.draw_ref}")
    return 0


def register(sub, gateway_sub) -> None:
    jt = sub.add_parser("jt809", help="JT/T 809 平台对接工具 / JT/T 809 platform link tools")
    js = jt.add_subparsers(dest="jt809_cmd", required=True)

    def crypto_args(p):
        p.add_argument("--m1", type=int, help="加密参数 M1 / encryption M1")
        p.add_argument("--ia1", type=int, help="加密参数 IA1")
        p.add_argument("--ic1", type=int, help="加密参数 IC1")

    p = js.add_parser("decode", help="解析十六进制帧为 JSON / decode a hex frame to JSON")
    p.add_argument("hex", nargs="+", help="十六进制帧（可含空格；- 表示从标准输入读取） / hex frame")
    p.add_argument("--version", choices=["2011", "2019"], default="2011", help="报文头版本 / header version")
    crypto_args(p)
    p.set_defaults(func=cmd_decode)

    p = js.add_parser("simulate", help="模拟企业监控平台（下级平台） / simulated enterprise platform")
    p.add_argument("--host", default="127.0.0.1", help="上级平台地址 / upper platform host")
    p.add_argument("--port", type=int, default=7809, help="上级平台端口 / port")
    p.add_argument(
        "--sub-host", default="127.0.0.1", help="本模拟平台从链路监听地址 / sub-link listen address"
    )
    p.add_argument("--center-id", type=int, required=True, help="平台接入码 / access code")
    p.add_argument("--user-id", type=int, required=True, help="登录用户名 / user id")
    p.add_argument("--password", required=True, help="登录密码 / password")
    p.add_argument("--version", choices=["2011", "2019"], default="2019", help="协议版本 / version")
    p.add_argument("--vehicles", type=int, default=5, help="车辆数 / vehicles")
    p.add_argument("--points", type=int, default=10, help="每车定位数 / positions per vehicle")
    p.add_argument("--interval", type=int, default=30, help="定位间隔秒数 / seconds between fixes")
    p.add_argument("--realtime", action="store_true", help="按间隔实时发送 / wait the interval")
    p.add_argument(
        "--resend", action="store_true", help="结束前以 0x1203 全部补发一次 / resend all as 0x1203"
    )
    p.add_argument(
        "--stay", type=float, default=0.0, help="发送后保持链路的秒数（期间应答查岗、督办） / seconds to stay"
    )
    p.add_argument(
        "--answer-delay", type=float, default=5.0, help="收到查岗后几秒应答 / seconds before answering"
    )
    p.add_argument("--no-answer", action="store_true", help="不应答查岗 / never answer 查岗")
    p.add_argument("--supervision-result", type=int, choices=[0, 1, 2, 3], default=1,
                   help="督办应答结果：0 处理中 1 已处理完毕 2 不做处理 3 将来处理 / 督办 result")  # fmt: skip
    crypto_args(p)
    p.set_defaults(func=cmd_simulate)

    p = js.add_parser("platform", help="登记或更新下级平台 / register or update a lower platform")
    p.add_argument("--org", required=True, help="监管单位名称或代码 / supervising unit")
    p.add_argument("--name", required=True, help="平台名称 / name")
    p.add_argument("--enterprise", help="运营企业 / enterprise")
    p.add_argument("--center-id", type=int, required=True, help="平台接入码 / access code")
    p.add_argument("--user-id", type=int, required=True, help="登录用户名 / user id")
    p.add_argument("--password", required=True, help="登录密码（最多 8 字节） / password")
    p.add_argument("--ips", help="允许的IP地址，逗号分隔 / allowed IPs")
    p.add_argument("--version", choices=["2011", "2019"], default="2019", help="协议版本 / version")
    p.add_argument("--vehicles", type=int, default=0, help="接入车辆数 / vehicles expected")
    p.set_defaults(func=cmd_platform)

    p = js.add_parser("draw", help="抽取某日随机查岗 / draw one day's random 查岗")
    p.add_argument("--org", required=True, help="单位名称或代码 / unit")
    p.add_argument("--date", help="日期 YYYY-MM-DD（默认今天） / day")
    p.add_argument("--n", type=int, default=2, help="次数 / how many")
    p.set_defaults(func=cmd_draw)

    p = gateway_sub.add_parser("jt809", help="JT/T 809 上级平台服务 / JT/T 809 upper-platform server")
    p.add_argument("--host", default="0.0.0.0", help="监听地址 / host")
    p.add_argument("--port", type=int, default=7809, help="端口 / port")
    p.add_argument("--store", help="列式存储目录 / store directory")
    p.add_argument(
        "--drain-every", type=float, default=60.0, help="日志入库间隔秒数 / seconds between drains"
    )
    p.add_argument("--keepalive-timeout", type=float, default=180.0,
                   help="主链路无报文即断开的秒数 / seconds without a frame before the link is closed")  # fmt: skip
    p.set_defaults(func=cmd_gateway)

"""The JT/T 809 upper-platform server: one asyncio process, the 808 gateway's shape.

Main link (the lower platform connects): 0x1001 login checked against the configured peer (platform
access code in the header, user id, password, allowed IPs) → 0x1002 (result 0 with a verify code; 1 IP,
2 access code, 3 user, 4 password); then the server opens the sub-link back to the IP/port the login
named and sends 0x9001 with the verify code. 0x1005 → 0x1006, 0x1003 → 0x1004 (and the session ends).
Frames before a successful login are dropped and counted.

Positions (0x1200 / 0x1202, and 补发 0x1203 of up to five) carry no acknowledgement in 809: a position is
durable once written to the fsynced log — the 808 gateway's :class:`~zhifa.monitoring.gateway.Wal`, in its
own directory ``wal809`` — and drained into the Parquet store by the same idempotent path
(:func:`~zhifa.monitoring.gateway.drain_wal`), so a resent 0x1203 never duplicates a point.

Every login opens a link session, closed on disconnect (or, after a crash, at its last frame seen: the
start-up recovery), so the link statistics show the gap a restart left. Down messages (查岗 0x9301,
报警督办 0x9401) come from the database (queued by officers) and go out on the sub-link, or on the main link
while the sub-link is down; replies (0x1301, 0x1401, 0x1411, 0x1412) go back to the database.

The Django side is behind :class:`Backend` (services.DbBackend in production, :class:`MemoryBackend` for
the benchmark); every backend call runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import logging
import random
import signal
import struct
import time
from dataclasses import dataclass, field
from datetime import datetime

from zhifa.core.identifiers import normalise_plate, parse_plate_color

from .. import jt808
from ..gateway import Wal, drain_wal
from ..store import Store
from . import protocol as p

log = logging.getLogger("zhifa.monitoring.jt809")
WAL_NAME = "wal809"


@dataclass(frozen=True)
class Peer:
    platform_id: int
    name: str
    center_id: int
    user_id: int
    password: str
    version: str = "2019"
    allowed_ips: frozenset[str] = frozenset()
    crypto: p.Crypto | None = None


@dataclass
class Outbound:
    """A down message waiting to be sent: ``kind`` "spotcheck" or "supervision", the record id."""

    kind: str
    pk: int
    center_id: int
    msg_id: int
    fields: dict


class Backend:
    """What the server asks of the database. The default methods do nothing (no database)."""

    def recover(self, now: float) -> int:
        return 0

    def session_open(self, peer: Peer, ip: str, now: float) -> int | None:
        return None

    def session_seen(self, updates: dict[int, tuple[float, int]]) -> None:
        pass

    def session_close(self, sid: int, reason: str, now: float, positions: int) -> None:
        pass

    def sub_link(self, sid: int, ok: bool) -> None:
        pass

    def outbound(self, center_ids: list[int]) -> list[Outbound]:
        return []

    def sent(self, kind: str, pk: int, serial: int, now: float) -> None:
        pass

    def spotcheck_ack(self, peer: Peer, f: dict, now: float) -> None:
        pass

    def supervision_ack(self, peer: Peer, sub: int, f: dict, now: float) -> None:
        pass

    def alarm(self, peer: Peer, f: dict, now: float) -> None:
        pass

    def link_report(self, peer: Peer, f: dict) -> None:
        pass


@dataclass
class MemoryBackend(Backend):
    """Records what the server reported (tests and the benchmark)."""

    events: list = field(default_factory=list)

    def session_open(self, peer, ip, now):
        self.events.append(("open", peer.center_id, ip))
        return len(self.events)

    def session_close(self, sid, reason, now, positions):
        self.events.append(("close", sid, reason, positions))

    def spotcheck_ack(self, peer, f, now):
        self.events.append(("spotcheck_ack", peer.center_id, f))

    def supervision_ack(self, peer, sub, f, now):
        self.events.append(("supervision_ack", peer.center_id, sub, f))


def peek_center(frame: bytes) -> int:
    """The platform access code of a raw frame: at the same offset in both header versions."""
    head = p.unescape(frame[1:24])[:14] if (0x5A in frame[:32] or 0x5E in frame[:32]) else frame[1:15]
    if len(head) < 14:
        raise p.FrameError("帧过短")
    return int.from_bytes(head[10:14], "big")


def _log_failure(t: asyncio.Task) -> None:
    if not t.cancelled() and t.exception() is not None:
        log.error("平台消息入库失败：%r", t.exception())


def _local_epoch(y: int, mo: int, d: int, hh: int, mm: int, ss: int) -> int:
    return int(datetime(y, mo, d, hh, mm, ss, tzinfo=jt808.CST).timestamp())


class Jt809Server:
    def __init__(
        self,
        store: Store,
        peers: dict[int, Peer],
        backend: Backend | None = None,
        *,
        drain_every: float = 60.0,
        keepalive_timeout: float = 180.0,
        poll_every: float = 1.0,
        seen_every: float = 5.0,
        login_timeout: float = 30.0,
    ):
        self.store = store
        self.peers = peers
        self.backend = backend or Backend()
        self.wal = Wal(store.root / WAL_NAME)
        self.drain_every, self.keepalive_timeout = drain_every, keepalive_timeout
        self.poll_every, self.seen_every, self.login_timeout = poll_every, seen_every, login_timeout
        self.serial = 0
        self.links: dict[int, _MainLink] = {}  # center id -> the logged-in main link
        self.stats = {
            "frames": 0,
            "bad_frames": 0,
            "positions": 0,
            "logins": 0,
            "refused_logins": 0,
            "unauthenticated": 0,
        }
        self._prefix: dict[tuple[bytes, int], bytes] = {}
        # seconds from a position frame's arrival to its lines being fsynced, when a list (the benchmark)
        self.store_latency: list[float] | None = None

    def next_serial(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFFFFFF
        return self.serial

    def frame(self, peer: Peer, msg_id: int, fields: dict | None = None) -> tuple[int, bytes]:
        sn = self.next_serial()
        key = random.randint(1, 0xFFFFFFFF) if peer.crypto else 0
        now = int(time.time()) if peer.version == "2019" else None
        return sn, p.encode(msg_id, fields, version=peer.version, center_id=peer.center_id, serial=sn,
                            crypto=peer.crypto, key=key, time=now)  # fmt: skip

    async def serve(self, host: str, port: int, *, ready: asyncio.Event | None = None) -> None:
        """Serve until cancelled or SIGTERM/SIGINT; then flush the log and close the sessions."""
        await asyncio.to_thread(drain_wal, self.store, include_open=True, name=WAL_NAME, source="jt809")
        await asyncio.to_thread(self.backend.recover, time.time())
        self.wal.start()
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        signals = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
                signals.append(sig)
        server = await loop.create_server(lambda: _MainLink(self), host, port, backlog=1024)
        tasks = [loop.create_task(c) for c in (self._drain_loop(), self._seen_loop(), self._poll_loop())]
        serving = loop.create_task(server.serve_forever())
        stopping = loop.create_task(stop.wait())
        if ready:
            ready.set()
        try:
            done, _ = await asyncio.wait(
                {serving, stopping, self.wal._task}, return_when=asyncio.FIRST_COMPLETED
            )
            if self.wal._task in done:
                raise RuntimeError("WAL 写入任务异常终止")
        finally:
            for t in (*tasks, serving, stopping):
                t.cancel()
            server.close()
            for sig in signals:
                loop.remove_signal_handler(sig)
            links = list(self.links.values())
            for link in links:
                link.end("上级平台服务停止")
                if link.transport:
                    link.transport.close()
            await self.wal.stop()
            pending = [t for link in links for t in link._tasks]
            if pending:  # the sessions' close records
                await asyncio.wait(pending, timeout=10)

    async def _drain_loop(self) -> None:
        while True:
            await asyncio.sleep(self.drain_every)
            await self.wal.request_rotate()
            try:
                await asyncio.to_thread(drain_wal, self.store, name=WAL_NAME, source="jt809")
            except Exception:  # noqa: BLE001 - keep serving; the log stays for the next drain
                log.exception("WAL 入库失败")

    async def _seen_loop(self) -> None:
        while True:
            await asyncio.sleep(self.seen_every)
            now = time.time()
            updates = {}
            for link in list(self.links.values()):
                if now - link.last_frame > self.keepalive_timeout:
                    link.end("连接保持超时")
                    link.transport.close()
                elif link.sid is not None:
                    updates[link.sid] = (link.last_frame, link.positions)
            if updates:
                with contextlib.suppress(Exception):
                    await asyncio.to_thread(self.backend.session_seen, updates)

    async def _poll_loop(self) -> None:
        while True:
            await asyncio.sleep(self.poll_every)
            if not self.links:
                continue
            try:
                items = await asyncio.to_thread(self.backend.outbound, list(self.links))
            except Exception:  # noqa: BLE001 - the database may be restarting; try again next round
                log.exception("读取待下发消息失败")
                continue
            for it in items:
                link = self.links.get(it.center_id)
                if link is None:
                    continue
                # recorded as sent before it leaves: a reply can never arrive before its request is known
                sn, frame = self.frame(link.peer, it.msg_id, it.fields)
                await asyncio.to_thread(self.backend.sent, it.kind, it.pk, sn, time.time())
                link.send_down(frame)

    # --- positions -------------------------------------------------------------------------------------

    def prefix(self, plate_raw: bytes, color: int) -> bytes:
        key = (plate_raw, color)
        pre = self._prefix.get(key)
        if pre is None:
            plate = normalise_plate(plate_raw.split(b"\0", 1)[0].decode("gbk"))
            try:
                c = parse_plate_color(color, code_set="jtt697").value
            except ValueError:
                c = "other"
            pre = f"{plate}\t{c}\t".encode()
            if len(self._prefix) > 200_000:
                self._prefix.clear()
            self._prefix[key] = pre
        return pre

    def position_lines(
        self, version: str, prefix: bytes, data: bytes, sub: int, now: str
    ) -> tuple[bytes, int]:
        """Log lines (gateway.Wal.LINE_FIELDS) of a 0x1202 or 0x1203 payload."""
        items = []
        if sub == 0x1203:
            r = p._R(data, "车辆定位信息自动补报（0x1203）")
            n = r.u8("定位数据个数")
            if not 1 <= n <= 5:
                raise p.FrameError(f"补报定位数据个数应为 1–5，实为 {n}")
            chunks = []
            for _ in range(n):
                if version == "2019":
                    start = r.i
                    r.take(1, "加密标识")
                    ln = r.u32("定位数据长度")
                    r.take(ln + 45, "定位数据")
                    chunks.append(data[start : r.i])
                else:
                    chunks.append(r.take(36, "车辆定位信息"))
            r.done()
        else:
            chunks = [data]
        for c in chunks:
            if version == "2019":
                (ln,) = struct.unpack_from(">I", c, 1)
                if len(c) != 5 + ln + 45:
                    raise p.FrameError("实时上传车辆定位信息（0x1202）长度不符")
                ts, lon, lat, speed, heading, alt, alarm, status, mileage = jt808.position_row(c[5 : 5 + ln])
            else:
                if len(c) != 36:
                    raise p.FrameError(f"车辆定位信息应为 36 字节，实为 {len(c)} 字节")
                f = p.read_position_2011(p._R(c, "车辆定位信息"))
                try:
                    ts = _local_epoch(*f["time"])
                except ValueError as e:
                    raise p.FrameError(f"定位时间 {f['time']} 无效") from e
                lon, lat, speed, heading, alt = (
                    f["lon"],
                    f["lat"],
                    float(f["speed_kmh"]),
                    f["heading"],
                    f["altitude_m"],
                )
                alarm, status, mileage = f["alarm"], f["status"], float(f["mileage_km"])
            items.append(
                prefix
                + f"{ts}\t{lon}\t{lat}\t{speed}\t{heading}\t{alt}\t{alarm}\t{status}\t{'' if mileage is None else mileage}\t{now}\n".encode()
            )
        return b"".join(items), len(items)


READ_SIZE = 16 * 1024  # bytes handed to one callback: bounds the work one link does per loop turn, so the
# log writer and the other links get their turn even when a platform sends a large backlog at once


class _MainLink(asyncio.BufferedProtocol):
    """One lower platform's main link (and the sub-link the server opens back)."""

    def __init__(self, srv: Jt809Server):
        self.srv = srv
        self.fr = p.FrameReader()
        self.peer: Peer | None = None
        self.transport = None
        self.ip = ""
        self.sid: int | None = None
        self.positions = 0
        self.last_frame = time.time()
        self.verify = 0
        self.sub_writer: asyncio.StreamWriter | None = None
        self.sub_task: asyncio.Task | None = None
        self.ended = False
        self._tasks: set[asyncio.Task] = set()
        self._login_timer = None
        self._view = memoryview(bytearray(READ_SIZE))

    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.ip = peer[0] if peer else ""
        self._login_timer = asyncio.get_running_loop().call_later(self.srv.login_timeout, self._login_expired)

    def _login_expired(self) -> None:
        if self.peer is None and self.transport is not None:
            self.transport.close()

    def _bg(self, coro) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(_log_failure)
        t.add_done_callback(self._tasks.discard)

    def get_buffer(self, sizehint: int) -> memoryview:
        return self._view

    def buffer_updated(self, nbytes: int) -> None:
        self.data_received(bytes(self._view[:nbytes]))
        # one chunk per loop turn: libuv (uvloop) would otherwise keep reading this socket up to 32 times
        # in a row, and a platform sending a backlog held the loop for seconds (log writer starved)
        t = self.transport
        if t is not None and not t.is_closing():
            t.pause_reading()
            asyncio.get_running_loop().call_soon(self._resume)

    def _resume(self) -> None:
        t = self.transport
        if t is not None and not t.is_closing():
            t.resume_reading()

    def data_received(self, data: bytes) -> None:
        for raw in self.fr.feed(data):
            self.on_frame(raw)

    def write_main(self, msg_id: int, fields: dict | None = None) -> int:
        sn, frame = self.srv.frame(self.peer, msg_id, fields)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame)
        return sn

    def send_down(self, frame: bytes) -> None:
        """A down message: on the sub-link when it is up, else on the main link (JT/T 809 link rules)."""
        if self.sub_writer is not None and not self.sub_writer.is_closing():
            self.sub_writer.write(frame)
        elif self.transport is not None:
            self.transport.write(frame)

    def on_frame(self, raw: bytes) -> None:
        srv = self.srv
        peer = self.peer
        if peer is not None and peer.crypto is None:
            # the fast path of a logged-in peer's 0x1200 (positions): no Header object, no dicts
            content = raw[1:-1]
            if 0x5A in content or 0x5E in content:
                try:
                    content = p.unescape(content)
                except p.FrameError:
                    srv.stats["bad_frames"] += 1
                    return
            hl = p.HEADER_LEN[peer.version]
            n = len(content)
            if (
                n >= hl + 2
                and content[8] == 0x12
                and content[9] == 0x00
                and content[18] == 0
                and int.from_bytes(content[10:14], "big") == peer.center_id
            ):
                if int.from_bytes(content[0:4], "big") != n + 2 or binascii.crc_hqx(
                    content[:-2], 0xFFFF
                ) != int.from_bytes(content[-2:], "big"):
                    srv.stats["bad_frames"] += 1
                    return
                srv.stats["frames"] += 1
                self.last_frame = time.time()
                self._vehicle(content[hl:-2])
                return
        try:
            peer = self.peer or srv.peers.get(peek_center(raw))
            if peer is None:  # an access code nobody configured: a login is refused (result 2)
                srv.stats["unauthenticated"] += 1
                self._refuse_unknown(raw)
                return
            h, body, _ = p.split(raw, version=peer.version)
            if h.encrypted:
                if peer.crypto is None:
                    raise p.FrameError("报文已加密，但未配置该平台的加密参数")
                body = p.crypt(body, h.key, peer.crypto)
        except (p.FrameError, struct.error, IndexError):
            srv.stats["bad_frames"] += 1
            return
        srv.stats["frames"] += 1
        self.last_frame = time.time()
        mid = h.msg_id
        if mid == 0x1200 and self.peer is not None and h.center_id == self.peer.center_id:
            self._vehicle(body)
            return
        try:
            f = p.decode_body(mid, body, peer.version)
        except (p.FrameError, struct.error, IndexError):
            srv.stats["bad_frames"] += 1
            return
        if mid == 0x1001:
            self._login(peer, h, f)
            return
        if self.peer is None or h.center_id != self.peer.center_id:
            srv.stats["unauthenticated"] += 1
            return
        now = time.time()
        if mid == 0x1005:
            self.write_main(0x1006)
        elif mid == 0x1003:
            self.write_main(0x1004)
            self.end("下级平台注销")
        elif mid in (0x1007, 0x1008):
            self.end("下级平台通知断开")
        elif mid == 0x1300 and f["data_type"] == 0x1301:
            self._bg(asyncio.to_thread(srv.backend.spotcheck_ack, peer, f, now))
        elif mid == 0x1400 and f["data_type"] in (0x1401, 0x1411, 0x1412):
            self._bg(asyncio.to_thread(srv.backend.supervision_ack, peer, f["data_type"], f, now))
        elif mid == 0x1400 and f["data_type"] == 0x1402:
            self._bg(asyncio.to_thread(srv.backend.alarm, peer, f, now))
        elif mid == 0x1102:
            self._bg(asyncio.to_thread(srv.backend.link_report, peer, f))

    def _refuse_unknown(self, raw: bytes) -> None:
        """A login from an unknown access code gets result 2, in the header version its own frame has (the
        0x1001 body is 46 bytes: that tells the two header lengths apart)."""
        with contextlib.suppress(p.FrameError, struct.error, IndexError):
            center = peek_center(raw)
            for version in p.VERSIONS:
                with contextlib.suppress(p.FrameError):
                    h, body, _ = p.split(raw, version=version)
                    if h.msg_id == 0x1001 and len(body) == 46:
                        self.srv.stats["refused_logins"] += 1
                        sn = self.srv.next_serial()
                        self.transport.write(
                            p.encode(0x1002, {"result": 2}, version=version, center_id=center, serial=sn)
                        )
                        return

    def _login(self, peer: Peer, h: p.Header, f: dict) -> None:
        srv = self.srv
        if f["user_id"] != peer.user_id:
            result = 3
        elif f["password"] != peer.password:
            result = 4
        elif peer.allowed_ips and self.ip not in peer.allowed_ips:
            result = 1
        else:
            result = 0
        self.peer = peer
        if result:
            srv.stats["refused_logins"] += 1
            self.write_main(0x1002, {"result": result})
            self.peer = None
            return
        old = srv.links.get(peer.center_id)
        if old is not None and old is not self:
            old.end("同一平台重新登录")
            old.transport.close()
        if self._login_timer:
            self._login_timer.cancel()
        self.verify = random.randint(1, 0xFFFFFFFF)
        srv.links[peer.center_id] = self
        srv.stats["logins"] += 1
        self.write_main(0x1002, {"result": 0, "verify_code": self.verify})
        down_ip = f["down_ip"] if f["down_ip"] not in ("", "0.0.0.0") else self.ip
        self._bg(self._open(peer, down_ip, f["down_port"]))

    async def _open(self, peer: Peer, down_ip: str, down_port: int) -> None:
        self.sid = await asyncio.to_thread(self.srv.backend.session_open, peer, self.ip, time.time())
        if self.ended:  # the link dropped while the session was being recorded
            await asyncio.to_thread(
                self.srv.backend.session_close, self.sid, self.end_reason, time.time(), self.positions
            )
            return
        if down_port:
            self.sub_task = asyncio.get_running_loop().create_task(self._sub_link(peer, down_ip, down_port))

    async def _sub_link(self, peer: Peer, ip: str, port: int) -> None:
        """Open the sub-link, log in with the verify code, keep it alive; reconnect while the main link lives."""
        while not self.ended:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(ip, port), 10)
            except (TimeoutError, OSError):
                await asyncio.sleep(5)
                continue
            fr = p.FrameReader()
            sn, frame = self.srv.frame(peer, 0x9001, {"verify_code": self.verify})
            writer.write(frame)
            ok = False
            try:
                while not self.ended:
                    try:
                        data = await asyncio.wait_for(reader.read(65536), 60)
                    except TimeoutError:
                        writer.write(self.srv.frame(peer, 0x9005)[1])
                        continue
                    if not data:
                        break
                    for raw in fr.feed(data):
                        with contextlib.suppress(p.FrameError, struct.error, IndexError):
                            m = p.decode(raw, version=peer.version, crypto=peer.crypto)
                            if m.header.msg_id == 0x9002 and m.fields["result"] == 0 and not ok:
                                ok = True
                                self.sub_writer = writer
                                if self.sid is not None:
                                    await asyncio.to_thread(self.srv.backend.sub_link, self.sid, True)
            except (OSError, ConnectionError):
                pass
            finally:
                self.sub_writer = None
                writer.close()
            if self.ended:
                return
            await asyncio.sleep(5)

    def _vehicle(self, body: bytes) -> None:
        """0x1200: 0x1202 / 0x1203 positions into the log; other sub-types are accepted and ignored."""
        srv = self.srv
        try:
            if len(body) < 28:
                raise p.FrameError("主链路车辆动态信息交换：消息体过短")
            (sub, n) = struct.unpack_from(">HI", body, 22)
            data = body[28:]
            if len(data) != n:
                raise p.FrameError("主链路车辆动态信息交换：后续数据长度不符")
            if sub not in (0x1202, 0x1203):
                return
            prefix = srv.prefix(body[:21], body[21])
            lines, k = srv.position_lines(self.peer.version, prefix, data, sub, str(int(time.time())))
        except (p.FrameError, struct.error, IndexError, UnicodeDecodeError, ValueError):
            srv.stats["bad_frames"] += 1
            return

        t0 = time.monotonic() if srv.store_latency is not None else 0.0

        def done(ok: bool) -> None:
            if ok:
                srv.stats["positions"] += k
                self.positions += k
                if t0:
                    srv.store_latency.append(time.monotonic() - t0)

        srv.wal.append_line(lines, done)

    def end(self, reason: str) -> None:
        if self.ended:
            return
        self.ended = True
        self.end_reason = reason
        srv = self.srv
        if self.peer is not None and srv.links.get(self.peer.center_id) is self:
            del srv.links[self.peer.center_id]
        if self.sub_task is not None:
            self.sub_task.cancel()
        if self.sid is not None:
            loop = asyncio.get_running_loop()
            t = loop.create_task(
                asyncio.to_thread(srv.backend.session_close, self.sid, reason, time.time(), self.positions)
            )
            self._tasks.add(t)

    def connection_lost(self, exc) -> None:
        if self._login_timer:
            self._login_timer.cancel()
        if self.peer is not None:
            self.end("连接断开")
        self.transport = None

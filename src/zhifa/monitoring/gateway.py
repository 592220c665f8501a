"""The JT/T 808 gateway: an asyncio TCP server for terminals (2013 and 2019 editions).

Sessions: 0x0100 register → 0x8100 (the terminal must be bound to the vehicle it names, see
``Terminal``; result 0 with the auth code, 2 vehicle not in the registry, 4 terminal not bound), 0x0102
authenticate → 0x8001, 0x0002 heartbeat → 0x8001, 0x0200 / 0x0704 positions → 0x8001 *after* the points
are durable, 0x0001 terminal responses are accepted silently. Position reports before authentication are
refused (0x8001 result 1).

Durability: accepted points are appended to a write-ahead log (``wal/`` under the store root) by one
writer task that collects the points of every connection, writes them, ``fsync``s once per batch and only
then releases the acknowledgements. An acknowledged point is therefore on disk; a point whose terminal got
no acknowledgement will be re-sent by the terminal (JT/T 808 retransmission) and the store's idempotency on
(vehicle, ts) drops the copy. :func:`drain_wal` moves closed log files into the Parquet store (idempotent;
the file is deleted only after the store has it), at start-up, periodically and from ``zhifa monitor drain``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import struct
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from zhifa.core.identifiers import normalise_plate

from . import jt808
from .store import Store, points_table

log = logging.getLogger("zhifa.monitoring.gateway")


@dataclass
class Binding:
    terminal_no: str
    plate: str
    plate_color: str  # canonical
    color_code: int | None
    auth_code: str


def load_bindings() -> dict[str, Binding]:
    from zhifa.core.identifiers import plate_color_code

    from .models import Terminal

    out = {}
    for t in Terminal.objects.filter(active=True).select_related("vehicle"):
        out[t.terminal_no] = Binding(
            t.terminal_no,
            t.vehicle.plate,
            t.vehicle.plate_color,
            plate_color_code(t.vehicle.plate_color, "jtt697"),
            t.auth_code,
        )
    return out


class Wal:
    """Append-only log with group commit.

    One owner of the file (issue 16 item 2): while the gateway runs, only the writer task touches it —
    writes, fsyncs and rotations happen in its sequence, each in a worker thread but never two at once. A
    rotation asked for by the drain (:meth:`request_rotate`) waits for the writer to do it between two
    group commits. Before, the drain closed the file on the event loop while a write ran in a thread: the
    writer died with "I/O operation on closed file", silently, and no position was acknowledged again.
    """

    LINE_FIELDS = (
        "plate",
        "plate_color",
        "ts",
        "lon",
        "lat",
        "speed_kmh",
        "heading",
        "altitude_m",
        "alarm",
        "status",
        "mileage_km",
        "recv_ts",
    )

    def __init__(self, directory: Path, *, max_bytes: int = 64 << 20, flush_interval: float = 0.005):
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.flush_interval = flush_interval
        self.pending: list[tuple[bytes, asyncio.Future]] = []
        self.fh = None
        self.size = 0
        self.points = 0
        self._event: asyncio.Event | None = None
        self._task: asyncio.Task | None = None
        self._rotations: list[asyncio.Future] = []
        self.last_ack = time.monotonic()
        # every file operation under one lock: a write still running in its thread when the writer task
        # is cancelled (at stop) finishes before the final flush and close touch the file
        self._file_lock = threading.RLock()

    def _open(self) -> None:
        name = f"wal-{time.time_ns():020d}-{uuid.uuid4().hex[:8]}.log"
        self.path = self.dir / (name + ".open")
        self.fh = open(self.path, "ab", buffering=0)
        self.size = 0

    def _close_current(self) -> None:
        with self._file_lock:
            self._close_current_locked()

    def _close_current_locked(self) -> None:
        if self.fh:
            self.fh.close()
            os.replace(self.path, self.path.with_suffix(""))  # drop ".open": now drainable
            self.fh = None

    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    async def request_rotate(self) -> None:
        """Close the current log (drainable from then on) and open a new one, done by the writer task
        between two group commits; returns once done."""
        if not self.alive():
            self.rotate()  # not running: nobody else touches the file
            return
        fut = asyncio.get_running_loop().create_future()
        self._rotations.append(fut)
        self._event.set()
        await fut

    def rotate(self) -> None:
        """Rotate now: only for the file's owner (the writer task, or anyone while it does not run)."""
        with self._file_lock:
            if self.fh is None:
                return
            self._close_current_locked()
            self._open()

    def start(self) -> None:
        self._open()  # after the start-up drain, which takes over any log left open by a dead gateway
        self._event = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            except Exception:  # noqa: BLE001 - the writer's death is reported by serve(); flush what is left
                log.exception("WAL 写入任务已异常终止")
        self._flush()
        self._close_current()

    def append(self, rows: list[dict]) -> asyncio.Future:
        """Queue rows; the future resolves once they are on disk."""
        fut = asyncio.get_running_loop().create_future()
        data = "".join(
            "\t".join("" if r.get(k) is None else str(r[k]) for k in self.LINE_FIELDS) + "\n" for r in rows
        ).encode("utf-8")
        self.pending.append((data, fut))
        self._event.set()
        return fut

    def append_line(self, data: bytes, done) -> None:
        """Queue encoded lines; ``done(ok)`` is called once they are on disk (or could not be written) — no
        future or task per report."""
        self.pending.append((data, done))
        if not self._event.is_set():
            self._event.set()

    def _write(self, buf: bytes) -> None:
        with self._file_lock:
            self.fh.write(buf)
            os.fsync(self.fh.fileno())

    def _settle(self, batch, ok: bool, exc: Exception | None = None) -> None:
        if ok:
            self.last_ack = time.monotonic()
        for _, f in batch:
            if isinstance(f, asyncio.Future):
                if not f.done():
                    if ok:
                        f.set_result(True)
                    else:
                        f.set_exception(exc or OSError("WAL"))
            else:
                f(ok)

    def _flush(self) -> int:
        if not self.pending:
            return 0
        batch, self.pending = self.pending, []
        buf = b"".join(d for d, _ in batch)
        try:
            self._write(buf)
        except OSError as e:  # nothing acknowledged
            self._settle(batch, False, e)
            return 0
        self.size += len(buf)
        self._settle(batch, True)
        if self.size >= self.max_bytes:
            self.rotate()
        return len(batch)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._event.wait()
            self._event.clear()
            if self.pending:
                await asyncio.sleep(self.flush_interval)  # let other connections join the group commit
            if self.pending:
                # group commit: write + fsync in a thread; reports arriving meanwhile form the next batch
                batch, self.pending = self.pending, []
                buf = b"".join(d for d, _ in batch)
                try:
                    await loop.run_in_executor(None, self._write, buf)
                except OSError as e:
                    self._settle(batch, False, e)
                else:
                    self.size += len(buf)
                    self._settle(batch, True)
            if self._rotations or self.size >= self.max_bytes:
                waiting, self._rotations = self._rotations, []
                await loop.run_in_executor(None, self.rotate)
                for f in waiting:
                    if not f.done():
                        f.set_result(None)
            if self.pending or self._rotations:
                self._event.set()


def read_wal_file(path: Path) -> list[dict]:
    rows = []
    with open(path, "rb") as fh:
        for raw in fh:
            if not raw.endswith(b"\n"):
                break  # torn tail of a crash: never acknowledged
            parts = raw.decode("utf-8").rstrip("\n").split("\t")
            if len(parts) != len(Wal.LINE_FIELDS):
                continue
            r = dict(zip(Wal.LINE_FIELDS, parts, strict=True))
            rows.append(
                {
                    "plate": r["plate"],
                    "plate_color": r["plate_color"],
                    "ts": int(r["ts"]),
                    "lon": float(r["lon"]),
                    "lat": float(r["lat"]),
                    "speed_kmh": float(r["speed_kmh"]),
                    "heading": int(r["heading"]),
                    "altitude_m": int(r["altitude_m"]),
                    "alarm": int(r["alarm"]),
                    "status": int(r["status"]),
                    "mileage_km": float(r["mileage_km"]) if r["mileage_km"] else None,
                    "recv_ts": int(r["recv_ts"]),
                }
            )
    return rows


def drain_wal(store: Store, *, include_open: bool = False, name: str = "wal", source: str = "jt808") -> int:
    """Move closed WAL files (and, after a crash, files left open by a dead gateway) into the store. Each
    server has its own log directory ``name`` under the store root (the 808 gateway "wal", the 809 server
    "wal809"): a start-up drain takes over only the open log of its own dead predecessor."""
    wal_dir = store.root / name
    if not wal_dir.exists():
        return 0
    moved = 0
    files = sorted(wal_dir.glob("wal-*.log"))
    if include_open:
        files += sorted(wal_dir.glob("wal-*.log.open"))
    for f in files:
        rows = read_wal_file(f)
        if rows:
            store.ingest_table(points_table(rows, source=source), source=source)
            moved += len(rows)
        f.unlink()
    return moved


class Gateway:
    def __init__(
        self,
        store: Store,
        bindings: dict[str, Binding],
        *,
        drain_every: float = 60.0,
        auth_timeout: float = 30.0,
        status_every: float = 5.0,
        status_dir: Path | None = None,
    ):
        self.store = store
        # the status file other processes read (ops.metrics: connections, reports/s, last-ack age)
        self.status_every, self.status_dir = status_every, status_dir
        self.auth_timeout = auth_timeout  # seconds a connection may stay without 终端鉴权 (issue 16 item 10)
        self.bindings = bindings
        self.wal = Wal(store.root / "wal")
        self.drain_every = drain_every
        self.serial = 0
        self.stats = {"connections": 0, "open_connections": 0, "frames": 0, "points": 0, "bad_frames": 0, "auth_timeouts": 0,
                      # the metric a watchdog or monitor reads: seconds since a position was last made durable
                      "last_ack_age_s": lambda: time.monotonic() - self.wal.last_ack}

    def next_serial(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial

    async def serve(self, host: str, port: int, *, ready: asyncio.Event | None = None) -> None:
        """Serve until cancelled or SIGTERM/SIGINT (then flush and close the log: a clean stop leaves no open
        log behind). A writer task that dies ends the gateway with an error instead of serving on without
        acknowledging — the service manager restarts it, and the start-up drain recovers the log."""
        # a gateway that died may have left an open log: its acknowledged points go to the store first
        await asyncio.to_thread(drain_wal, self.store, include_open=True)
        self.wal.start()
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        signals = []
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
                loop.add_signal_handler(sig, stop.set)
                signals.append(sig)
        server = await loop.create_server(lambda: _Session(self), host, port, backlog=4096)
        drainer = loop.create_task(self._drain_loop())
        reporter = loop.create_task(self._status_loop())
        serving = loop.create_task(server.serve_forever())
        stopping = loop.create_task(stop.wait())
        if ready:
            ready.set()
        try:
            done, _ = await asyncio.wait({serving, stopping, self.wal._task}, return_when=asyncio.FIRST_COMPLETED)
            if self.wal._task in done:
                exc = None if self.wal._task.cancelled() else self.wal._task.exception()
                log.critical("WAL 写入任务异常终止，网关退出以便重启：%r", exc)
                raise RuntimeError("WAL 写入任务异常终止") from exc
            if stopping in done:
                log.info("收到停止信号，网关正在关闭")
        finally:
            for task in (serving, stopping, drainer, reporter):
                task.cancel()
            server.close()
            for sig in signals:
                loop.remove_signal_handler(sig)
            await self.wal.stop()

    async def _drain_loop(self) -> None:
        while True:
            await asyncio.sleep(self.drain_every)
            await self.wal.request_rotate()
            try:
                await asyncio.to_thread(drain_wal, self.store)
            except Exception:  # noqa: BLE001 - keep serving; the log stays for the next drain
                log.exception("WAL 入库失败")

    def status(self, reports_per_s: float = 0.0) -> dict:
        """What the status file holds (core.procstatus; read by ops.metrics)."""
        return {
            "gateway": "jt808",
            "connections_open": self.stats["open_connections"],
            "connections_total": self.stats["connections"],
            "reports_total": self.stats["points"],
            "reports_per_s": round(reports_per_s, 3),
            "bad_frames": self.stats["bad_frames"],
            "auth_timeouts": self.stats["auth_timeouts"],
            "last_ack_age_s": round(self.stats["last_ack_age_s"](), 3),
        }

    async def _status_loop(self) -> None:
        from zhifa.core.procstatus import status_write

        last_points, last_t = self.stats["points"], time.monotonic()
        while True:
            try:
                now = time.monotonic()
                rate = (self.stats["points"] - last_points) / max(now - last_t, 1e-6)
                last_points, last_t = self.stats["points"], now
                await asyncio.to_thread(status_write, "gateway-jt808", self.status(rate), directory=self.status_dir)
            except Exception:  # noqa: BLE001 - a full disk must not stop the gateway; the metric goes stale
                log.exception("网关状态文件写入失败")
            await asyncio.sleep(self.status_every)

    def _reply(self, h: jt808.Header, msg_id: int, body: bytes) -> bytes:
        return jt808.encode(
            msg_id,
            h.phone,
            self.next_serial(),
            body,
            edition=h.edition,
            protocol_version=h.protocol_version or 1,
        )

    def _ack(self, h: jt808.Header, result: int) -> bytes:
        return self._reply(h, 0x8001, jt808.general_response(h.serial, h.msg_id, result))

    def on_frame(self, s: _Session, raw: bytes) -> None:
        """One frame of a session: positions take the fast path (no dicts, no task: the acknowledgement is
        written by the log's group commit), everything else the full decoder."""
        try:
            content = jt808.unescape(raw[1:-1])
            if len(content) < 13:
                raise jt808.FrameError("帧过短")
            if jt808.checksum(content[:-1]) != content[-1]:
                raise jt808.FrameError("校验码错误")
            h, pos = jt808.parse_header(content[:-1])
            body = content[pos:-1]
            if len(body) != h.body_len:
                raise jt808.FrameError("消息体长度不符")
            if h.msg_id == 0x0200 and not h.subpackage:
                self.stats["frames"] += 1
                self._positions(s, h, [jt808.position_row(body)])
                return
            frame = jt808.Frame(h, body, content[-1])
            if not h.subpackage or h.index == 1 and h.total == 1:
                frame.fields = jt808.decode_body(h, body)
        except (jt808.FrameError, struct.error, IndexError):
            self.stats["bad_frames"] += 1
            return
        self.stats["frames"] += 1
        term = h.phone.lstrip("0")
        w = s.transport.write
        if h.msg_id == 0x0100:
            b = self.bindings.get(term)
            f = frame.fields
            if b is None:
                result, code = 4, ""
            elif normalise_plate(f.get("plate")) != b.plate or (
                b.color_code is not None and f.get("plate_color") != b.color_code
            ):
                result, code = 2, ""
            else:
                result, code = 0, b.auth_code
            body = struct.pack(">HB", h.serial, result) + (code.encode("gbk") if result == 0 else b"")
            w(self._reply(h, 0x8100, body))
        elif h.msg_id == 0x0102:
            b = self.bindings.get(term)
            ok = b is not None and frame.fields.get("auth_code") == b.auth_code
            s.authed = b if ok else None
            if ok:
                s.authenticated()
            s.prefix = f"{b.plate}\t{b.plate_color}\t".encode() if ok else b""
            w(self._ack(h, 0 if ok else 1))
        elif h.msg_id == 0x0002:
            w(self._ack(h, 0))
        elif h.msg_id == 0x0704:
            try:
                items = [jt808.position_row(it) for it in _batch_items(body)]
            except (jt808.FrameError, struct.error, IndexError):
                self.stats["bad_frames"] += 1
                return
            self._positions(s, h, items)
        elif h.msg_id == 0x0001:
            pass
        else:
            w(self._ack(h, 3))

    def _positions(self, s: _Session, h: jt808.Header, items: list[tuple]) -> None:
        b = s.authed
        if b is None or b.terminal_no != h.phone.lstrip("0"):
            s.transport.write(self._ack(h, 1))
            return
        now = str(int(time.time()))
        lines = b"".join(_line(s.prefix, it, now) for it in items)
        n = len(items)

        def done(ok: bool) -> None:
            if ok:
                self.stats["points"] += n
            t = s.transport
            if t is not None and not t.is_closing():
                t.write(self._ack(h, 0 if ok else 1))

        self.wal.append_line(lines, done)


class _Session(asyncio.Protocol):
    """One terminal connection."""

    def __init__(self, gw: Gateway):
        self.gw = gw
        self.fr = jt808.FrameReader()
        self.authed: Binding | None = None
        self.prefix = b""
        self.transport = None
        self._auth_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.gw.stats["connections"] += 1
        self.gw.stats["open_connections"] += 1
        # a connection that never authenticates is closed (issue 16 item 10: 500 idle sockets stayed open)
        self._auth_timer = asyncio.get_running_loop().call_later(self.gw.auth_timeout, self._auth_expired)

    def authenticated(self) -> None:
        if self._auth_timer is not None:
            self._auth_timer.cancel()
            self._auth_timer = None

    def _auth_expired(self) -> None:
        self._auth_timer = None
        if self.authed is None and self.transport is not None:
            self.gw.stats["auth_timeouts"] += 1
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        for raw in self.fr.feed(data):
            self.gw.on_frame(self, raw)

    def connection_lost(self, exc) -> None:
        self.authenticated()  # cancels the timer
        self.transport = None
        self.gw.stats["open_connections"] -= 1


def _batch_items(body: bytes) -> list[bytes]:
    count = struct.unpack(">H", body[:2])[0]
    items, i = [], 3
    for _ in range(count):
        (ln,) = struct.unpack(">H", body[i : i + 2])
        items.append(body[i + 2 : i + 2 + ln])
        i += 2 + ln
    return items


def _line(prefix: bytes, it: tuple, now: str) -> bytes:
    """One log line (Wal.LINE_FIELDS) from a fast-path position row."""
    ts, lon, lat, speed, heading, alt, alarm, status, mileage = it
    return (
        prefix
        + (
            f"{ts}\t{lon}\t{lat}\t{speed}\t{heading}\t{alt}\t{alarm}\t{status}\t"
            f"{'' if mileage is None else mileage}\t{now}\n"
        ).encode()
    )


def _row(b: Binding, f: dict, now: int) -> dict:
    from datetime import datetime

    ts = int(datetime.fromisoformat(f["time"]).timestamp())
    return {
        "plate": b.plate,
        "plate_color": b.plate_color,
        "ts": ts,
        "lon": f["lon"],
        "lat": f["lat"],
        "speed_kmh": f["speed_kmh"],
        "heading": f["heading"],
        "altitude_m": f["altitude_m"],
        "alarm": f["alarm"],
        "status": f["status"],
        "mileage_km": f["extras"].get("mileage_km"),
        "recv_ts": now,
    }


def run_gateway(
    host: str, port: int, *, store: Store | None = None, drain_every: float = 60.0, auth_timeout: float = 30.0
) -> None:
    store = store or Store()
    gw = Gateway(store, load_bindings(), drain_every=drain_every, auth_timeout=auth_timeout)
    print(
        f"JT/T 808 网关已启动：{host}:{port}（已绑定终端 {len(gw.bindings)} 个；按 Ctrl+C 停止）", flush=True
    )
    use_uvloop()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(gw.serve(host, port))


def use_uvloop() -> bool:
    """Run on uvloop (libuv) when it is installed: the same asyncio API, about twice the throughput."""
    try:
        import uvloop
    except ImportError:
        return False
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return True

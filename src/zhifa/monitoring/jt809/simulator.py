"""A simulated lower (enterprise) platform for tests, demos and the benchmark (`zhifa jt809 simulate`).

It listens for the sub-link the upper platform opens back (answers 0x9001 with 0x9002 when the verify
code is the one of its login), logs in on the main link, sends positions (0x1202; 补发 0x1203 in batches
of five), keeps the link alive, answers 查岗 after ``answer_delay`` seconds (None: never) and 督办 with
``supervision_result`` (2011: 0x1401 by supervision id; 2019: 0x1411 by the request's serial).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from datetime import datetime

from .. import jt808
from . import protocol as p


@dataclass
class SimPosition:
    plate: str
    color: int
    ts: int
    lon: float
    lat: float
    speed_kmh: float = 50.0
    heading: int = 90


def position_fields(pos: SimPosition, version: str) -> dict:
    when = datetime.fromtimestamp(pos.ts, tz=jt808.CST)
    if version == "2019":
        gnss = jt808.position_body(
            lat=pos.lat, lon=pos.lon, speed_kmh=pos.speed_kmh, heading=pos.heading, when=when
        )
        return {"encrypt": 0, "gnss": gnss}
    return {
        "time": [when.year, when.month, when.day, when.hour, when.minute, when.second],
        "lon": pos.lon,
        "lat": pos.lat,
        "speed_kmh": int(pos.speed_kmh),
        "heading": pos.heading,
        "status": 3,
    }


@dataclass
class SimPlatform:
    center_id: int
    user_id: int
    password: str
    version: str = "2019"
    crypto: p.Crypto | None = None
    answer_delay: float | None = 0.0
    supervision_result: int = 1
    responder: str = "值班员"
    responder_tel: str = "13800000000"
    sent: list[SimPosition] = field(default_factory=list)
    spotchecks: list[dict] = field(default_factory=list)
    supervisions: list[dict] = field(default_factory=list)
    sub_link_up: bool = False

    def __post_init__(self):
        self.serial = 0
        self.verify = None
        self.writer: asyncio.StreamWriter | None = None
        self.sub_server = None
        self.sub_port = 0
        self._tasks: set[asyncio.Task] = set()
        self._login: asyncio.Future | None = None
        self._sub_writers: list[asyncio.StreamWriter] = []

    def _frame(self, msg_id: int, fields: dict) -> bytes:
        self.serial += 1
        return p.encode(msg_id, fields, version=self.version, center_id=self.center_id, serial=self.serial,
                        crypto=self.crypto, key=self.serial if self.crypto else 0, time=int(datetime.now().timestamp()))  # fmt: skip

    async def start_sub(self, host: str = "127.0.0.1") -> int:
        self.sub_server = await asyncio.start_server(self._sub_conn, host, 0)
        self.sub_port = self.sub_server.sockets[0].getsockname()[1]
        return self.sub_port

    async def _sub_conn(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._sub_writers.append(writer)
        with contextlib.suppress(asyncio.CancelledError):  # the loop ends while the sub-link is open
            await self._read_loop(reader, writer, sub=True)

    async def _read_loop(self, reader, writer, *, sub: bool) -> None:
        fr = p.FrameReader()
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                for raw in fr.feed(data):
                    try:
                        m = p.decode(raw, version=self.version, crypto=self.crypto)
                    except p.FrameError:
                        continue
                    self._on(m, writer, sub)
        except (OSError, ConnectionError):
            pass
        finally:
            if sub:
                self.sub_link_up = False
            with contextlib.suppress(Exception):
                writer.close()

    def _on(self, m: p.Message, writer, sub: bool) -> None:
        mid, f = m.header.msg_id, m.fields
        if mid == 0x1002 and self._login and not self._login.done():
            self._login.set_result(f)
        elif mid == 0x9001:
            ok = f["verify_code"] == self.verify
            writer.write(self._frame(0x9002, {"result": 0 if ok else 1}))
            self.sub_link_up = ok
        elif mid == 0x9005:
            writer.write(self._frame(0x9006, {}))
        elif mid == 0x9300 and f["data_type"] == 0x9301:
            f = dict(f, serial=m.header.serial)
            self.spotchecks.append(f)
            if self.answer_delay is not None:
                self._bg(self._answer_spotcheck(f))
        elif mid == 0x9400 and f["data_type"] == 0x9401:
            f = dict(f, serial=m.header.serial)
            self.supervisions.append(f)
            self._bg(self._answer_supervision(f))

    def _bg(self, coro) -> None:
        t = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(t)
        t.add_done_callback(self._tasks.discard)

    async def _answer_spotcheck(self, q: dict) -> None:
        await asyncio.sleep(self.answer_delay)
        ack = {"data_type": 0x1301, "object_type": q["object_type"], "object_id": q["object_id"],
               "info_id": q["info_id"], "content": f"{self.responder}在岗，监控正常",
               "responder": self.responder, "responder_tel": self.responder_tel, "source_sn": q["serial"]}  # fmt: skip
        self.write(0x1300, ack)

    async def _answer_supervision(self, q: dict) -> None:
        await asyncio.sleep(0)
        wrap = {"vehicle_no": q.get("vehicle_no", ""), "vehicle_color": q.get("vehicle_color", 0)}
        if self.version == "2019":
            self.write(
                0x1400, dict(wrap, data_type=0x1411, source_sn=q["serial"], result=self.supervision_result)
            )
        else:
            self.write(
                0x1400,
                dict(
                    wrap, data_type=0x1401, supervision_id=q["supervision_id"], result=self.supervision_result
                ),
            )

    def write(self, msg_id: int, fields: dict) -> None:
        if self.writer is None or self.writer.is_closing():
            raise ConnectionError("主链路未连接")
        self.writer.write(self._frame(msg_id, fields))

    async def connect(self, host: str, port: int, *, sub_host: str = "127.0.0.1") -> int:
        """Log in; returns the 0x1002 result (0 success)."""
        if self.sub_server is None:
            await self.start_sub(sub_host)
        reader, self.writer = await asyncio.open_connection(host, port)
        self._login = asyncio.get_running_loop().create_future()
        self._bg(self._read_loop(reader, self.writer, sub=False))
        self.writer.write(self._frame(0x1001, {"user_id": self.user_id, "password": self.password,
                                               "down_ip": sub_host, "down_port": self.sub_port}))  # fmt: skip
        f = await asyncio.wait_for(self._login, 10)
        if f["result"] == 0:
            self.verify = f["verify_code"]
        return f["result"]

    async def wait_sub_link(self, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while not self.sub_link_up:
                await asyncio.sleep(0.02)

    def position(self, pos: SimPosition, *, record: bool = True) -> None:
        self.write(
            0x1200,
            dict(
                position_fields(pos, self.version),
                vehicle_no=pos.plate,
                vehicle_color=pos.color,
                data_type=0x1202,
            ),
        )
        if record:
            self.sent.append(pos)

    def history(self, items: list[SimPosition]) -> None:
        """补发 0x1203: per vehicle, batches of up to five in time order."""
        by_vehicle: dict[tuple[str, int], list[SimPosition]] = {}
        for it in sorted(items, key=lambda x: x.ts):
            by_vehicle.setdefault((it.plate, it.color), []).append(it)
        for (plate, color), its in by_vehicle.items():
            for i in range(0, len(its), 5):
                batch = [position_fields(x, self.version) for x in its[i : i + 5]]
                self.write(
                    0x1200,
                    {"vehicle_no": plate, "vehicle_color": color, "data_type": 0x1203, "positions": batch},
                )

    def keepalive(self) -> None:
        self.write(0x1005, {})

    async def drain(self) -> None:
        if self.writer is not None:
            await self.writer.drain()

    async def close(self, *, logout: bool = True) -> None:
        if self.writer is not None and not self.writer.is_closing():
            if logout:
                with contextlib.suppress(Exception):
                    self.write(0x1003, {"user_id": self.user_id, "password": self.password})
                    await self.writer.drain()
            self.writer.close()
        for w in self._sub_writers:
            w.close()
        tasks = list(self._tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self.sub_server is not None:
            self.sub_server.close()


def encode_position_frame(plat: SimPlatform, pos: SimPosition) -> bytes:
    """One 0x1202 frame without sending it (benchmark pre-building)."""
    f = dict(
        position_fields(pos, plat.version), vehicle_no=pos.plate, vehicle_color=pos.color, data_type=0x1202
    )
    return plat._frame(0x1200, f)


__all__ = ["SimPlatform", "SimPosition", "encode_position_frame"]

"""A simulated JT/T 808 terminal: register, authenticate, send 0x0200 reports and wait for each 0x8001.

Used by the tests, the gateway benchmark and ``zhifa jt808 simulate`` (support staff checking a gateway).
"""

from __future__ import annotations

import asyncio
import math
import struct
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from . import jt808

CST = timezone(timedelta(hours=8))

# JT/T 808-2013 result codes of 终端注册应答 (0x8100) and 平台通用应答 (0x8001)
REGISTER_RESULTS = {
    0: "成功",
    1: "车辆已被注册",
    2: "数据库中无该车辆",
    3: "终端已被注册",
    4: "数据库中无该终端",
}
ACK_RESULTS = {0: "成功/确认", 1: "失败", 2: "消息有误", 3: "不支持", 4: "报警处理确认"}


@dataclass
class Fix:
    """One simulated position."""

    ts: int
    lon: float
    lat: float
    speed_kmh: float
    heading: int


M_PER_DEG_LAT = 111_195.0


def route(n: int, *, start_ts: int, interval_s: int, lon: float, lat: float) -> list[Fix]:
    """``n`` positions every ``interval_s`` seconds of a vehicle on a winding road from (lon, lat):
    the heading turns a few degrees per fix and the speed varies between about 40 and 70 km/h, so that
    consecutive fixes are as far apart as the speed says (no drift). Deterministic."""
    out, heading = [], 60.0
    for i in range(n):
        speed = round(55 + 15 * math.sin(i / 7), 1)
        out.append(Fix(start_ts + i * interval_s, round(lon, 6), round(lat, 6), speed, int(heading) % 360))
        step = speed / 3.6 * interval_s
        lat += step * math.cos(math.radians(heading)) / M_PER_DEG_LAT
        lon += step * math.sin(math.radians(heading)) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
        heading = (heading + 12 * math.sin(i / 5)) % 360
    return out


class SimTerminal:
    def __init__(self, phone: str, plate: str, color_code: int, *, edition: str = "2013"):
        self.phone, self.plate, self.color_code, self.edition = phone, plate, color_code, edition
        self.serial = 0
        self.reader = self.writer = None
        self.fr = jt808.FrameReader()
        self.acked: list[int] = []  # ts of acknowledged points
        self.last_result: int | None = None  # result code of the last reply (0x8100 / 0x8001)
        self.latencies: list[float] = []

    def _next(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial

    async def _recv(self) -> jt808.Frame:
        while True:
            data = await self.reader.read(4096)
            if not data:
                raise ConnectionError("网关已断开连接")
            frames = self.fr.feed(data)
            if frames:
                self._queue = frames[1:]
                return jt808.decode_frame(frames[0])

    async def _request(self, msg_id: int, body: bytes) -> jt808.Frame:
        s = self._next()
        self.writer.write(jt808.encode(msg_id, self.phone, s, body, edition=self.edition))
        await self.writer.drain()
        return await self._recv()

    async def connect(self, host: str, port: int) -> str:
        self.reader, self.writer = await asyncio.open_connection(host, port)
        r = await self._request(
            0x0100, jt808.register_body(plate=self.plate, plate_color=self.color_code, edition=self.edition)
        )
        self.last_result = n = r.fields.get("result")
        if n != 0:
            raise PermissionError(f"终端注册被拒绝（结果 {n}：{REGISTER_RESULTS.get(n, '未知')}）")
        code = r.fields["auth_code"]
        a = await self._request(0x0102, jt808.auth_body(code, edition=self.edition))
        self.last_result = n = a.fields.get("result")
        if n != 0:
            raise PermissionError(f"终端鉴权失败（结果 {n}：{ACK_RESULTS.get(n, '未知')}）")
        return code

    async def report(
        self,
        *,
        ts: int,
        lat: float,
        lon: float,
        speed_kmh: float = 50.0,
        heading: int = 90,
        status: int | None = None,
    ) -> bool:
        body = jt808.position_body(
            lat=lat,
            lon=lon,
            speed_kmh=speed_kmh,
            heading=heading,
            when=datetime.fromtimestamp(ts, tz=CST),
            **({} if status is None else {"status": status}),
        )
        t0 = time.perf_counter()
        r = await self._request(0x0200, body)
        self.last_result = r.fields.get("result")
        ok = r.header.msg_id == 0x8001 and self.last_result == 0
        if ok:
            self.acked.append(ts)
            self.latencies.append(time.perf_counter() - t0)
        return ok

    async def report_batch(self, fixes: list[Fix], *, backfill: bool = True, status: int = 0b11) -> bool:
        """One 0x0704 定位数据批量上传 (type 1 盲区补报 when ``backfill``, else 0 正常批量)."""
        items = b"".join(
            struct.pack(">H", len(b)) + b
            for b in (
                jt808.position_body(
                    lat=f.lat,
                    lon=f.lon,
                    speed_kmh=f.speed_kmh,
                    heading=f.heading,
                    status=status,
                    when=datetime.fromtimestamp(f.ts, tz=CST),
                )
                for f in fixes
            )
        )
        r = await self._request(0x0704, struct.pack(">HB", len(fixes), 1 if backfill else 0) + items)
        self.last_result = r.fields.get("result")
        ok = r.header.msg_id == 0x8001 and self.last_result == 0
        if ok:
            self.acked.extend(f.ts for f in fixes)
        return ok

    async def close(self) -> None:
        if self.writer:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass

"""A simulated JT/T 808 terminal: register, authenticate, send 0x0200 reports and wait for each 0x8001.

Used by the tests, the gateway benchmark and ``zhifa jt808 simulate`` (support staff checking a gateway).
"""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

from . import jt808

CST = timezone(timedelta(hours=8))


class SimTerminal:
    def __init__(self, phone: str, plate: str, color_code: int, *, edition: str = "2013"):
        self.phone, self.plate, self.color_code, self.edition = phone, plate, color_code, edition
        self.serial = 0
        self.reader = self.writer = None
        self.fr = jt808.FrameReader()
        self.acked: list[int] = []  # ts of acknowledged points
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
        if r.fields.get("result") != 0:
            raise PermissionError(f"终端注册被拒绝（结果 {r.fields.get('result')}）")
        code = r.fields["auth_code"]
        a = await self._request(0x0102, jt808.auth_body(code, edition=self.edition))
        if a.fields.get("result") != 0:
            raise PermissionError("终端鉴权失败")
        return code

    async def report(
        self, *, ts: int, lat: float, lon: float, speed_kmh: float = 50.0, heading: int = 90
    ) -> bool:
        body = jt808.position_body(
            lat=lat, lon=lon, speed_kmh=speed_kmh, heading=heading, when=datetime.fromtimestamp(ts, tz=CST)
        )
        t0 = time.perf_counter()
        r = await self._request(0x0200, body)
        ok = r.header.msg_id == 0x8001 and r.fields.get("result") == 0
        if ok:
            self.acked.append(ts)
            self.latencies.append(time.perf_counter() - t0)
        return ok

    async def close(self) -> None:
        if self.writer:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass

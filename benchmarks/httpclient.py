"""A light HTTP/1.1 keep-alive client on asyncio streams, shared by the loopback benchmarks.

One :class:`Connection` is one simulated client: a keep-alive socket and its cookies. Hundreds of them run
as tasks of one process; a thread per client with http.client spent a quarter of a core on itself, which
on a small machine is taken from the server being measured.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

# what a failed exchange raises: the caller counts it and calls Connection.reconnect()
CLIENT_ERRORS = (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError)


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names; repeated headers other than Set-Cookie keep the last
    body: bytes


@dataclass
class Connection:
    port: int
    host: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    # the server closes a keep-alive connection idle this long (zhifa serve: gunicorn keepalive 5 s); a
    # client reconnects rather than send into a socket the server may be closing, as browsers do
    idle_limit: float = 4.0
    _last_used: float = 0.0
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        self._last_used = time.monotonic()

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None

    async def reconnect(self) -> None:
        self.close()
        await self.open()

    async def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Response:
        if self._writer is not None and time.monotonic() - self._last_used > self.idle_limit:
            self.close()
        if self._writer is None:
            await self.open()
        assert self._reader is not None and self._writer is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self._reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        hdrs: dict[str, str] = {}
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                cookie, _, attrs = value.partition(";")
                k, _, v = cookie.partition("=")
                if "max-age=0" in attrs.lower() or not v.strip('"'):
                    self.cookies.pop(k.strip(), None)  # the server deleted it (sign-out)
                else:
                    self.cookies[k.strip()] = v
            hdrs[name] = value
        if "content-length" in hdrs:
            data = await self._reader.readexactly(int(hdrs["content-length"]))
        elif hdrs.get("transfer-encoding", "").lower() == "chunked":
            data = await self._chunked()
        elif status in (204, 304) or method == "HEAD":
            data = b""
        else:  # delimited by the end of the connection
            data = await self._reader.read()
            hdrs["connection"] = "close"
        self._last_used = time.monotonic()
        if hdrs.get("connection", "").lower() == "close":  # the server's keep-alive limit: reconnect next time
            self.close()
        return Response(status, hdrs, data)

    async def _chunked(self) -> bytes:
        assert self._reader is not None
        parts = []
        while True:
            size = int((await self._reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self._reader.readuntil(b"\r\n")  # no trailers are sent by our server
                return b"".join(parts)
            parts.append(await self._reader.readexactly(size))
            await self._reader.readexactly(2)

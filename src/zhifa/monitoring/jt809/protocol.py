"""JT/T 809 (2011 and 2019) platform-to-platform link: framing, header, encryption and the message bodies
zhifa uses (operations-reporting.md §6, enforcement-tech.md §4.5). Pure Python: no Django here.

Frame: ``0x5B | header | body | CRC WORD | 0x5D``. Escaping over everything between the flags:
0x5B → 0x5A 0x01, 0x5A → 0x5A 0x02, 0x5D → 0x5E 0x01, 0x5E → 0x5E 0x02. The CRC is CRC-16/CCITT-FALSE
(poly 0x1021, init 0xFFFF) over header + body, big-endian (✅ zboyco/jtt809; checked here against the
0x1001 and 0x1102 frames of SmallChi/JT809's tests, MIT, used as fixtures in tests/monitoring/).

Header (big-endian): MSG_LENGTH DWORD (the whole unescaped frame, flags included), MSG_SN DWORD,
MSG_ID WORD, MSG_GNSSCENTERID DWORD (platform access code), VERSION_FLAG BYTE[3], ENCRYPT_FLAG BYTE,
ENCRYPT_KEY DWORD — 22 bytes in 2011; 2019 adds TIME UTC QWORD (epoch seconds) → 30 bytes. The two are
incompatible, so the version is configured per peer and passed to :func:`decode`.

Encryption (optional, body only): ``key = IA1 * (key mod M1) + IC1`` (32-bit) per byte, byte ^= key >> 20
(✅ checked with SmallChi/JT809's JT809EncryptTest vector). The peer gives M1 / IA1 / IC1; the key is in
the header.

Business bodies: the links (0x1001–0x1008, 0x9001–0x9008), counters 0x9101, link statistics 0x9102 /
0x1102, and the wrapped families 0x1200 / 0x9200 (vehicle: plate GBK[21], colour BYTE, DATA_TYPE WORD,
DATA_LENGTH DWORD, data), 0x1300 / 0x9300 (DATA_TYPE, DATA_LENGTH, data) and 0x1400 / 0x9400 (vehicle
wrapper like 0x1200). Field layouts follow SmallChi/JT809 @ 4528912; the ones marked UNCONFIRMED below
were not found there for the given version and are our reading of the domain table — a peer whose layout
differs will show as a decode error naming the message, never as silently wrong data.
"""

from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass, field

BEGIN, END = 0x5B, 0x5D
HEADER_LEN = {"2011": 22, "2019": 30}
VERSIONS = tuple(HEADER_LEN)
# VERSION_FLAG written by zhifa; a peer's flag is reported, never checked (UNCONFIRMED which values
# 2019 peers put there: SmallChi's 2019 fixture carries 0.0.0).
DEFAULT_VERSION_FLAG = {"2011": (1, 0, 0), "2019": (1, 2, 15)}
MAX_FRAME = 64 * 1024

MESSAGE_NAMES = {
    0x1001: "主链路登录请求",
    0x1002: "主链路登录应答",
    0x1003: "主链路注销请求",
    0x1004: "主链路注销应答",
    0x1005: "主链路连接保持请求",
    0x1006: "主链路连接保持应答",
    0x1007: "主链路断开通知",
    0x1008: "下级平台主动关闭链路通知",
    0x9001: "从链路连接请求",
    0x9002: "从链路连接应答",
    0x9003: "从链路注销请求",
    0x9004: "从链路注销应答",
    0x9005: "从链路连接保持请求",
    0x9006: "从链路连接保持应答",
    0x9007: "从链路断开通知",
    0x9008: "上级平台主动关闭链路通知",
    0x9101: "接收车辆定位信息数量通知",
    0x9102: "平台链路连接情况与车辆定位消息传输情况上报请求",
    0x1102: "平台链路连接情况与车辆定位消息传输情况上报应答",
    0x1200: "主链路车辆动态信息交换",
    0x9200: "从链路车辆动态信息交换",
    0x1300: "主链路平台间信息交互",
    0x9300: "从链路平台间信息交互",
    0x1400: "主链路报警信息交互",
    0x9400: "从链路报警信息交互",
}
SUB_NAMES = {
    0x1201: "上传车辆注册信息",
    0x1202: "实时上传车辆定位信息",
    0x1203: "车辆定位信息自动补报",
    0x1301: "平台查岗应答",
    0x1302: "下发平台间报文应答",
    0x9301: "平台查岗请求",
    0x9302: "下发平台间报文请求",
    0x1401: "报警督办应答",
    0x1402: "上报报警信息",
    0x1403: "主动上报报警处理结果/上报预警信息",
    0x1411: "上报报警督办应答（2019）",
    0x1412: "主动上报报警处理结果（2019）",
    0x1413: "上报报警督办请求（2019）",
    0x9401: "报警督办请求",
    0x9402: "报警预警/下发预警",
    0x9403: "实时交换报警信息",
}
LOGIN_RESULTS = {
    0: "成功",
    1: "IP地址不正确",
    2: "接入码不正确",
    3: "用户没有注册",
    4: "密码错误",
    5: "资源紧张",
    9: "其他",
}
SUPERVISION_RESULTS = {0: "处理中", 1: "已处理完毕", 2: "不做处理", 3: "将来处理"}
SPOTCHECK_OBJECTS = {1: "当前下级平台", 2: "下级平台所属单一业户", 3: "下级平台所属所有业户"}
WARN_SOURCES = {1: "车载终端", 2: "企业监控平台", 3: "政府监管平台", 9: "其他"}
SUPERVISION_LEVELS = {0: "紧急", 1: "一般"}

VEHICLE_WRAPPED = {0x1200, 0x9200, 0x1400, 0x9400}
TYPE_WRAPPED = {0x1300, 0x9300, 0x1102, 0x9102}


class FrameError(ValueError):
    """A frame or body that cannot be decoded; the message is Chinese and names what is wrong."""


@dataclass(frozen=True)
class Crypto:
    """The peer's encryption constants (JT/T 809 §加密算法)."""

    m1: int
    ia1: int
    ic1: int


@dataclass
class Header:
    length: int
    serial: int
    msg_id: int
    center_id: int
    version_flag: tuple[int, int, int]
    encrypted: bool
    key: int
    time: int | None = None  # 2019 only: UTC epoch seconds


@dataclass
class Message:
    header: Header
    fields: dict = field(default_factory=dict)
    crc: int = 0


# --- framing -----------------------------------------------------------------------------------------


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE."""
    crc = 0xFFFF
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def crc16_fast(data: bytes) -> int:
    """Same as :func:`crc16`, in C: ``binascii.crc_hqx`` is CRC-CCITT (poly 0x1021) with the given start
    value, so with 0xFFFF it is CRC-16/CCITT-FALSE (the server's path)."""
    return binascii.crc_hqx(data, 0xFFFF)


def escape(data: bytes) -> bytes:
    return (
        data.replace(b"\x5a", b"\x5a\x02")
        .replace(b"\x5b", b"\x5a\x01")
        .replace(b"\x5e", b"\x5e\x02")
        .replace(b"\x5d", b"\x5e\x01")
    )


def unescape(data: bytes) -> bytes:
    if 0x5A not in data and 0x5E not in data:
        return bytes(data)
    data = bytes(data)
    if data.count(b"\x5a") == data.count(b"\x5a\x01") + data.count(b"\x5a\x02") and data.count(
        b"\x5e"
    ) == data.count(b"\x5e\x01") + data.count(b"\x5e\x02"):
        # every escape byte opens a valid pair (pairs cannot overlap: 0x01/0x02 are no escape bytes), so
        # replacing the 0x01 pairs first and the 0x02 pairs second undoes the escaping exactly, in C
        return (
            data.replace(b"\x5a\x01", b"\x5b")
            .replace(b"\x5a\x02", b"\x5a")
            .replace(b"\x5e\x01", b"\x5d")
            .replace(b"\x5e\x02", b"\x5e")
        )
    out = bytearray()  # an invalid sequence somewhere: walk to name its position
    i, n = 0, len(data)
    while i < n:
        b = data[i]
        if b in (0x5A, 0x5E):
            nxt = data[i + 1] if i + 1 < n else None
            if nxt not in (1, 2):
                raise FrameError(f"第 {i + 2} 字节处转义序列无效（0x{b:02X} 后应为 0x01 或 0x02）")
            out.append({(0x5A, 1): 0x5B, (0x5A, 2): 0x5A, (0x5E, 1): 0x5D, (0x5E, 2): 0x5E}[(b, nxt)])
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


def crypt(data: bytes, key: int, c: Crypto) -> bytes:
    """Encrypt or decrypt (the same XOR key stream)."""
    if key == 0:
        key = 1
    out = bytearray(len(data))
    for i, b in enumerate(data):
        key = (c.ia1 * (key % c.m1) + c.ic1) & 0xFFFFFFFF
        out[i] = b ^ ((key >> 20) & 0xFF)
    return bytes(out)


class FrameReader:
    """Splits a TCP byte stream into raw frames ``5B … 5D`` (split and coalesced packets)."""

    def __init__(self, limit: int = MAX_FRAME):
        self.buf = bytearray()
        self.limit = limit

    def feed(self, data: bytes) -> list[bytes]:
        self.buf += data
        frames = []
        while True:
            start = self.buf.find(b"\x5b")
            if start < 0:
                self.buf.clear()
                break
            if start:
                del self.buf[:start]
            end = self.buf.find(b"\x5d", 1)
            if end < 0:
                if len(self.buf) > self.limit:
                    self.buf.clear()
                break
            frames.append(bytes(self.buf[: end + 1]))
            del self.buf[: end + 1]
        return frames


def parse_hex(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("0x", "").replace(",", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError as e:
        raise FrameError("输入不是有效的十六进制字符串") from e


def _check_version(version: str) -> None:
    if version not in HEADER_LEN:
        raise FrameError(f"协议版本“{version}”无效，应为 2011 或 2019")


def encode(
    msg_id: int,
    fields: dict | None = None,
    *,
    version: str = "2011",
    center_id: int,
    serial: int,
    body: bytes | None = None,
    crypto: Crypto | None = None,
    key: int = 0,
    time: int | None = None,
    version_flag: tuple[int, int, int] | None = None,
) -> bytes:
    """Build, encrypt (when ``crypto``), checksum and escape one frame."""
    _check_version(version)
    if body is None:
        body = encode_body(msg_id, fields or {}, version)
    if crypto is not None:
        body = crypt(body, key, crypto)
    hl = HEADER_LEN[version]
    length = 1 + hl + len(body) + 2 + 1
    vf = version_flag or DEFAULT_VERSION_FLAG[version]
    head = struct.pack(
        ">IIHI3BBI", length, serial & 0xFFFFFFFF, msg_id, center_id, *vf, 1 if crypto else 0, key
    )
    if version == "2019":
        head += struct.pack(">Q", int(time or 0))
    content = head + body
    return b"\x5b" + escape(content + struct.pack(">H", crc16_fast(content))) + b"\x5d"


def split(frame: bytes, *, version: str = "2011") -> tuple[Header, bytes, bytes]:
    """Unescape, verify length and CRC and parse the header: ``(header, raw body, content)`` where the body
    is still encrypted if the header says so."""
    _check_version(version)
    if len(frame) < 2 or frame[0] != BEGIN or frame[-1] != END:
        raise FrameError("帧应以 0x5B 开始、以 0x5D 结束")
    content = unescape(frame[1:-1])
    hl = HEADER_LEN[version]
    if len(content) < hl + 2:
        raise FrameError(
            f"帧过短：{version} 版报文头 {hl} 字节，加校验码至少 {hl + 2} 字节，实为 {len(content)} 字节"
        )
    crc = int.from_bytes(content[-2:], "big")
    if crc16_fast(content[:-2]) != crc:
        raise FrameError(f"CRC 校验错误：帧内为 0x{crc:04X}，计算为 0x{crc16_fast(content[:-2]):04X}")
    length, serial, msg_id, center, v1, v2, v3, enc, key = struct.unpack_from(">IIHI3BBI", content)
    if length != len(content) + 2:
        raise FrameError(f"数据长度字段为 {length}，实际帧长 {len(content) + 2} 字节")
    if enc not in (0, 1):
        raise FrameError(f"加密标识应为 0 或 1，实为 {enc}")
    t = struct.unpack_from(">Q", content, 22)[0] if version == "2019" else None
    h = Header(length, serial, msg_id, center, (v1, v2, v3), bool(enc), key, t)
    return h, content[hl:-2], content


def decode(frame: bytes, *, version: str = "2011", crypto: Crypto | None = None) -> Message:
    h, body, content = split(frame, version=version)
    if h.encrypted:
        if crypto is None:
            raise FrameError("报文已加密，但未配置该平台的加密参数（M1/IA1/IC1）")
        body = crypt(body, h.key, crypto)
    try:
        fields = decode_body(h.msg_id, body, version)
    except FrameError as e:
        other = "2019" if version == "2011" else "2011"
        raise FrameError(
            f"{e}（按 {version} 版报文头解析；若对方使用 {other} 版，请按 {other} 版解析）"
        ) from e
    return Message(h, fields, int.from_bytes(content[-2:], "big"))


# --- field helpers -----------------------------------------------------------------------------------


class _R:
    """A bounds-checked reader that names the message in its errors."""

    def __init__(self, data: bytes, what: str):
        self.d, self.i, self.what = data, 0, what

    def take(self, n: int, name: str) -> bytes:
        if self.i + n > len(self.d):
            raise FrameError(f"{self.what}：字段“{name}”需要 {n} 字节，剩余 {len(self.d) - self.i} 字节")
        b = self.d[self.i : self.i + n]
        self.i += n
        return b

    def u8(self, name: str) -> int:
        return self.take(1, name)[0]

    def u16(self, name: str) -> int:
        return int.from_bytes(self.take(2, name), "big")

    def u32(self, name: str) -> int:
        return int.from_bytes(self.take(4, name), "big")

    def u64(self, name: str) -> int:
        return int.from_bytes(self.take(8, name), "big")

    def s(self, n: int, name: str) -> str:
        raw = self.take(n, name).split(b"\0", 1)[0]
        try:
            return raw.decode("gbk")
        except UnicodeDecodeError as e:
            raise FrameError(f"{self.what}：字段“{name}”不是有效的 GBK 字符串") from e

    def rest(self) -> bytes:
        b = self.d[self.i :]
        self.i = len(self.d)
        return b

    def done(self) -> None:
        if self.i != len(self.d):
            raise FrameError(f"{self.what}：消息体多出 {len(self.d) - self.i} 字节")


def _s(value, n: int, name: str) -> bytes:
    raw = str(value or "").encode("gbk")
    if len(raw) > n:
        raise FrameError(f"字段“{name}”超长：最多 {n} 字节（GBK），实为 {len(raw)} 字节")
    return raw.ljust(n, b"\0")


def _text(value) -> bytes:
    raw = str(value or "").encode("gbk")
    return struct.pack(">I", len(raw)) + raw


def _read_text(r: _R, name: str) -> str:
    n = r.u32(name + "长度")
    raw = r.take(n, name)
    try:
        return raw.decode("gbk").rstrip("\0")
    except UnicodeDecodeError as e:
        raise FrameError(f"{r.what}：字段“{name}”不是有效的 GBK 字符串") from e


# --- the 2011 and 2019 position structures ------------------------------------------------------------

_POS2011 = struct.Struct(">BBBHBBBIIHHIHHII")


def position_2011(f: dict) -> bytes:
    """The 36-byte 2011 GNSS_DATA: encrypt, date (day, month, year WORD), time, lon/lat ×1e6, speeds,
    mileage, direction, altitude, state, alarm. ``time`` is a dict or local (GMT+8) wall clock numbers."""
    y, mo, d, hh, mm, ss = f["time"]
    return _POS2011.pack(
        f.get("encrypt", 0), d, mo, y, hh, mm, ss,
        round(f["lon"] * 1e6), round(f["lat"] * 1e6),
        int(f.get("speed_kmh", 0)), int(f.get("rec_speed_kmh", 0)), int(f.get("mileage_km", 0)),
        int(f.get("heading", 0)), int(f.get("altitude_m", 0)), int(f.get("status", 0)), int(f.get("alarm", 0)),
    )  # fmt: skip


def read_position_2011(r: _R) -> dict:
    raw = r.take(36, "车辆定位信息")
    enc, d, mo, y, hh, mm, ss, lon, lat, v1, v2, v3, direction, alt, state, alarm = _POS2011.unpack(raw)
    return {
        "encrypt": enc,
        "time": [y, mo, d, hh, mm, ss],
        "lon": lon / 1e6,
        "lat": lat / 1e6,
        "speed_kmh": v1,
        "rec_speed_kmh": v2,
        "mileage_km": v3,
        "heading": direction,
        "altitude_m": alt,
        "status": state,
        "alarm": alarm,
    }


def position_2019(f: dict) -> bytes:
    """2019: encrypt BYTE, GNSS_DATA length DWORD + the JT/T 808 0x0200 body, then three
    (platform id BYTE[11], alarm DWORD) pairs (✅ SmallChi JT809_0x1200_0x1202 2019 test)."""
    gnss = bytes.fromhex(f["gnss"]) if isinstance(f["gnss"], str) else f["gnss"]
    out = struct.pack(">BI", f.get("encrypt", 0), len(gnss)) + gnss
    for k in (1, 2, 3):
        out += _s(f.get(f"platform_id{k}", ""), 11, f"平台唯一编码{k}") + struct.pack(
            ">I", f.get(f"alarm{k}", 0)
        )
    return out


def read_position_2019(r: _R) -> dict:
    enc = r.u8("加密标识")
    n = r.u32("定位数据长度")
    f = {"encrypt": enc, "gnss": r.take(n, "定位数据").hex().upper()}
    for k in (1, 2, 3):
        f[f"platform_id{k}"] = r.s(11, f"平台唯一编码{k}")
        f[f"alarm{k}"] = r.u32(f"报警状态{k}")
    return f


def _pos_enc(f: dict, version: str) -> bytes:
    return position_2019(f) if version == "2019" else position_2011(f)


def _pos_dec(r: _R, version: str) -> dict:
    return read_position_2019(r) if version == "2019" else read_position_2011(r)


# --- bodies ------------------------------------------------------------------------------------------
# Each entry: (encode(fields, version) -> bytes, decode(reader, version) -> dict).


def _empty():
    return (lambda f, v: b"", lambda r, v: {})


def _one(name: str, fmt: str, label: str):
    size = struct.calcsize(fmt)

    def enc(f, v):
        return struct.pack(fmt, f[name])

    def dec(r, v):
        return {name: struct.unpack(fmt, r.take(size, label))[0]}

    return enc, dec


def _login_enc(f, v):
    return (
        struct.pack(">I", f["user_id"])
        + _s(f["password"], 8, "密码")
        + _s(f.get("down_ip", ""), 32, "从链路IP")
        + struct.pack(">H", f.get("down_port", 0))
    )


def _login_dec(r, v):
    return {
        "user_id": r.u32("用户名"),
        "password": r.s(8, "密码"),
        "down_ip": r.s(32, "从链路IP"),
        "down_port": r.u16("从链路端口"),
    }


def _login_resp_enc(f, v):
    return struct.pack(">BI", f["result"], f.get("verify_code", 0))


def _login_resp_dec(r, v):
    res = r.u8("验证结果")
    return {"result": res, "result_label": LOGIN_RESULTS.get(res, "未知"), "verify_code": r.u32("校验码")}


def _logout_enc(f, v):
    return struct.pack(">I", f["user_id"]) + _s(f["password"], 8, "密码")


def _logout_dec(r, v):
    return {"user_id": r.u32("用户名"), "password": r.s(8, "密码")}


def _counter_enc(f, v):
    return struct.pack(">IQQ", f["total"], f["start"], f["end"])


def _counter_dec(r, v):
    return {"total": r.u32("车辆定位信息数量"), "start": r.u64("开始时间"), "end": r.u64("结束时间")}


BODIES: dict[int, tuple] = {
    0x1001: (_login_enc, _login_dec),
    0x1002: (_login_resp_enc, _login_resp_dec),
    0x1003: (_logout_enc, _logout_dec),
    0x1004: _empty(),
    0x1005: _empty(),
    0x1006: _empty(),
    0x1007: _one("error_code", ">B", "错误代码"),
    0x1008: _one("reason_code", ">B", "原因代码"),
    0x9001: _one("verify_code", ">I", "校验码"),
    0x9002: _one("result", ">B", "验证结果"),
    0x9003: _one("verify_code", ">I", "校验码"),
    0x9004: _empty(),
    0x9005: _empty(),
    0x9006: _empty(),
    0x9007: _one("error_code", ">B", "错误代码"),
    0x9008: _one("reason_code", ">B", "原因代码"),
    0x9101: (_counter_enc, _counter_dec),
}


# sub-bodies of the wrapped families


def _linkstat_req_enc(f, v):
    return _s(f["platform_id"], 11, "平台唯一编码") + struct.pack(">QQ", f["start"], f["end"])


def _linkstat_req_dec(r, v):
    return {"platform_id": r.s(11, "平台唯一编码"), "start": r.u64("开始时间"), "end": r.u64("结束时间")}


def _linkstat_enc(f, v):
    return _s(f["platform_id"], 11, "平台唯一编码") + struct.pack(
        ">QQIBI", f["start"], f["end"], f["lost"], f["disconnects"], f["disconnect_s"]
    )


def _linkstat_dec(r, v):
    return {
        "platform_id": r.s(11, "平台唯一编码"),
        "start": r.u64("开始时间"),
        "end": r.u64("结束时间"),
        "lost": r.u32("丢失定位数"),
        "disconnects": r.u8("断线次数"),
        "disconnect_s": r.u32("断线时长"),
    }


def _register_enc(f, v):
    # 2011 layout (SmallChi JT809_0x1200_0x1201, 61 bytes); 2019 lengths UNCONFIRMED, kept the same
    return (
        _s(f["platform_id"], 11, "平台唯一编码")
        + _s(f["producer_id"], 11, "终端厂商编码")
        + _s(f["model"], 20, "终端型号")
        + _s(f["terminal_id"], 7, "终端编号")
        + _s(f["sim"], 12, "终端SIM卡号")
    )


def _register_dec(r, v):
    return {
        "platform_id": r.s(11, "平台唯一编码"),
        "producer_id": r.s(11, "终端厂商编码"),
        "model": r.s(20, "终端型号"),
        "terminal_id": r.s(7, "终端编号"),
        "sim": r.s(12, "终端SIM卡号"),
    }


def _history_enc(f, v):
    items = f["positions"]
    if not 1 <= len(items) <= 5:
        raise FrameError(f"补报定位数据个数应为 1–5 条，实为 {len(items)} 条")
    return bytes([len(items)]) + b"".join(_pos_enc(p, v) for p in items)


def _history_dec(r, v):
    n = r.u8("定位数据个数")
    if not 1 <= n <= 5:
        raise FrameError(f"车辆定位信息自动补报：定位数据个数应为 1–5，实为 {n}")
    return {"positions": [_pos_dec(r, v) for _ in range(n)]}


def _query_enc(f, v):
    # 2011 ✅ SmallChi (type, object id [12], info id, length, content). 2019: object id [20] and an
    # answer time BYTE (domain table; UNCONFIRMED position and unit) before the info id.
    out = bytes([f["object_type"]])
    if v == "2019":
        out += _s(f["object_id"], 20, "查岗对象ID") + bytes([f.get("answer_time", 0)])
    else:
        out += _s(f["object_id"], 12, "查岗对象ID")
    return out + struct.pack(">I", f["info_id"]) + _text(f["content"])


def _query_dec(r, v):
    f = {"object_type": r.u8("查岗对象类型")}
    if v == "2019":
        f["object_id"] = r.s(20, "查岗对象ID")
        f["answer_time"] = r.u8("应答时限")
    else:
        f["object_id"] = r.s(12, "查岗对象ID")
    f["info_id"] = r.u32("信息ID")
    f["content"] = _read_text(r, "问题内容")
    return f


def _query_ack_enc(f, v):
    # ✅ SmallChi JT809_0x1300_0x1301 (2011 and 2019)
    out = bytes([f["object_type"]])
    if v == "2019":
        out += (
            _s(f.get("responder", ""), 16, "应答人")
            + _s(f.get("responder_tel", ""), 20, "应答人电话")
            + _s(f["object_id"], 20, "查岗对象ID")
            + struct.pack(">HI", f.get("source_type", 0x9301), f["source_sn"])
        )
    else:
        out += _s(f["object_id"], 12, "查岗对象ID") + struct.pack(">I", f["info_id"])
    return out + _text(f["content"])


def _query_ack_dec(r, v):
    f = {"object_type": r.u8("查岗对象类型")}
    if v == "2019":
        f["responder"] = r.s(16, "应答人")
        f["responder_tel"] = r.s(20, "应答人电话")
        f["object_id"] = r.s(20, "查岗对象ID")
        f["source_type"] = r.u16("源子业务类型")
        f["source_sn"] = r.u32("源报文序列号")
    else:
        f["object_id"] = r.s(12, "查岗对象ID")
        f["info_id"] = r.u32("信息ID")
    f["content"] = _read_text(r, "应答内容")
    return f


def _msg_enc(f, v):
    return (
        bytes([f["object_type"]])
        + _s(f["object_id"], 12, "对象ID")
        + struct.pack(">I", f["info_id"])
        + _text(f["content"])
    )


def _msg_dec(r, v):
    return {
        "object_type": r.u8("对象类型"),
        "object_id": r.s(12, "对象ID"),
        "info_id": r.u32("信息ID"),
        "content": _read_text(r, "报文内容"),
    }


def _urge_enc(f, v):
    # ✅ SmallChi JT809_0x9400_0x9401 (2011); used unchanged for 2019 (UNCONFIRMED)
    return (
        struct.pack(">BHQ", f["warn_src"], f["warn_type"], f["warn_time"])
        + struct.pack(">I", f["supervision_id"])
        + struct.pack(">QB", f["deadline"], f["level"])
        + _s(f.get("supervisor", ""), 16, "督办人")
        + _s(f.get("supervisor_tel", ""), 20, "督办人电话")
        + _s(f.get("supervisor_email", ""), 32, "督办人电子邮箱")
    )


def _urge_dec(r, v):
    return {
        "warn_src": r.u8("报警信息来源"),
        "warn_type": r.u16("报警类型"),
        "warn_time": r.u64("报警时间"),
        "supervision_id": r.u32("督办ID"),
        "deadline": r.u64("督办截止时间"),
        "level": r.u8("督办级别"),
        "supervisor": r.s(16, "督办人"),
        "supervisor_tel": r.s(20, "督办人电话"),
        "supervisor_email": r.s(32, "督办人电子邮箱"),
    }


def _urge_ack_enc(f, v):
    return struct.pack(">IB", f["supervision_id"], f["result"])


def _urge_ack_dec(r, v):
    return {"supervision_id": r.u32("督办ID"), "result": r.u8("处理结果")}


def _src_result_enc(f, v):
    # ✅ SmallChi JT809_0x1400_0x1411 / 0x1412 (2019): source data type, source serial, result
    return struct.pack(">HIB", f.get("source_type", 0x9401), f["source_sn"], f["result"])


def _src_result_dec(r, v):
    return {
        "source_type": r.u16("源子业务类型"),
        "source_sn": r.u32("源报文序列号"),
        "result": r.u8("处理结果"),
    }


def _urge_info_enc(f, v):
    # ✅ SmallChi JT809_0x1400_0x1413 (2019)
    return (
        _s(f["source_platform_id"], 11, "发起报警平台编码")
        + struct.pack(
            ">QHIQB", f["warn_time"], f.get("source_type", 0x9401), f["source_sn"], f["deadline"], f["level"]
        )
        + _s(f.get("supervisor", ""), 16, "督办人")
        + _s(f.get("supervisor_tel", ""), 20, "督办人电话")
        + _s(f.get("supervisor_email", ""), 32, "督办人电子邮箱")
    )


def _urge_info_dec(r, v):
    return {
        "source_platform_id": r.s(11, "发起报警平台编码"),
        "warn_time": r.u64("报警时间"),
        "source_type": r.u16("源子业务类型"),
        "source_sn": r.u32("源报文序列号"),
        "deadline": r.u64("督办截止时间"),
        "level": r.u8("督办级别"),
        "supervisor": r.s(16, "督办人"),
        "supervisor_tel": r.s(20, "督办人电话"),
        "supervisor_email": r.s(32, "督办人电子邮箱"),
    }


def _warn_enc(f, v):
    # 2011 上报报警信息 / 预警 (warn src, type, time, info id, content). 2019 0x1402 carries platform ids,
    # event start/end and the 808 line id (domain table) — its exact layout is UNCONFIRMED.
    if v == "2019":
        return (
            _s(f.get("source_platform_id", ""), 11, "发起报警平台编码")
            + struct.pack(">HQQQ", f["warn_type"], f["warn_time"], f.get("start", 0), f.get("end", 0))
            + _s(f.get("vehicle_no", ""), 21, "车牌号")
            + bytes([f.get("vehicle_color", 0)])
            + _s(f.get("target_platform_id", ""), 11, "目标平台编码")
            + struct.pack(">I", f.get("line_id", 0))
            + _text(f.get("content", ""))
        )
    return struct.pack(">BHQI", f["warn_src"], f["warn_type"], f["warn_time"], f.get("info_id", 0)) + _text(
        f.get("content", "")
    )


def _warn_dec(r, v):
    if v == "2019":
        f = {"source_platform_id": r.s(11, "发起报警平台编码"), "warn_type": r.u16("报警类型"), "warn_time": r.u64("报警时间"),
             "start": r.u64("事件开始时间"), "end": r.u64("事件结束时间"), "vehicle_no": r.s(21, "车牌号"),
             "vehicle_color": r.u8("车牌颜色"), "target_platform_id": r.s(11, "目标平台编码"), "line_id": r.u32("线路ID")}  # fmt: skip
    else:
        f = {"warn_src": r.u8("报警信息来源"), "warn_type": r.u16("报警类型"), "warn_time": r.u64("报警时间"), "info_id": r.u32("信息ID")}  # fmt: skip
    f["content"] = _read_text(r, "报警内容")
    return f


def _result_enc(f, v):
    return struct.pack(">IB", f["info_id"], f["result"])


def _result_dec(r, v):
    return {"info_id": r.u32("信息ID"), "result": r.u8("处理结果")}


SUB_BODIES: dict[int, tuple] = {
    0x9102: (_linkstat_req_enc, _linkstat_req_dec),
    0x1102: (_linkstat_enc, _linkstat_dec),
    0x1201: (_register_enc, _register_dec),
    0x1202: (lambda f, v: _pos_enc(f, v), lambda r, v: _pos_dec(r, v)),
    0x1203: (_history_enc, _history_dec),
    0x9301: (_query_enc, _query_dec),
    0x1301: (_query_ack_enc, _query_ack_dec),
    0x9302: (_msg_enc, _msg_dec),
    0x1302: _one("info_id", ">I", "信息ID"),
    0x9401: (_urge_enc, _urge_dec),
    0x1401: (_urge_ack_enc, _urge_ack_dec),
    0x1402: (_warn_enc, _warn_dec),
    0x1403: (_result_enc, _result_dec),
    0x9402: (_warn_enc, _warn_dec),
    0x9403: (_warn_enc, _warn_dec),
    0x1411: (_src_result_enc, _src_result_dec),
    0x1412: (_src_result_enc, _src_result_dec),
    0x1413: (_urge_info_enc, _urge_info_dec),
}
FAMILY = {0x12: (0x1200, 0x9200), 0x13: (0x1300, 0x9300), 0x14: (0x1400, 0x9400)}
SUB_ONLY_2019 = {0x1411, 0x1412, 0x1413}


def encode_body(msg_id: int, f: dict, version: str = "2011") -> bytes:
    _check_version(version)
    if msg_id in VEHICLE_WRAPPED or msg_id in TYPE_WRAPPED:
        sub = f.get("data_type", msg_id)
        if sub in SUB_ONLY_2019 and version != "2019":
            raise FrameError(f"子业务 0x{sub:04X} 仅见于 2019 版")
        codec = SUB_BODIES.get(msg_id if msg_id in (0x1102, 0x9102) else sub)
        data = bytes.fromhex(f["data"]) if codec is None else codec[0](f, version)
        out = b""
        if msg_id in VEHICLE_WRAPPED:
            out = _s(f.get("vehicle_no", ""), 21, "车牌号") + bytes([f.get("vehicle_color", 0)])
        return out + struct.pack(">HI", sub, len(data)) + data
    codec = BODIES.get(msg_id)
    if codec is None:
        raise FrameError(f"不支持的业务类型 0x{msg_id:04X}")
    return codec[0](f, version)


def decode_body(msg_id: int, body: bytes, version: str = "2011") -> dict:
    name = MESSAGE_NAMES.get(msg_id)
    if name is None:
        raise FrameError(f"不支持的业务类型 0x{msg_id:04X}")
    r = _R(body, f"{name}（0x{msg_id:04X}）")
    if msg_id in VEHICLE_WRAPPED or msg_id in TYPE_WRAPPED:
        f = {}
        if msg_id in VEHICLE_WRAPPED:
            f["vehicle_no"] = r.s(21, "车牌号")
            f["vehicle_color"] = r.u8("车牌颜色")
        sub = r.u16("子业务类型")
        n = r.u32("后续数据长度")
        data = r.take(n, "后续数据")
        r.done()
        f["data_type"] = sub
        if msg_id not in (0x1102, 0x9102) and (sub >> 8) != (msg_id >> 8):
            raise FrameError(f"{r.what}：子业务类型 0x{sub:04X} 不属于该业务类型")
        codec = SUB_BODIES.get(msg_id if msg_id in (0x1102, 0x9102) else sub)
        if codec is None:
            f["data"] = data.hex().upper()
            return f
        if sub in SUB_ONLY_2019 and version != "2019":
            raise FrameError(f"子业务 0x{sub:04X} 仅见于 2019 版，请以 --version 2019 解析")
        sr = _R(data, f"{SUB_NAMES.get(sub, name)}（0x{sub:04X}）")
        f.update(codec[1](sr, version))
        sr.done()
        return f
    f = BODIES[msg_id][1](r, version)
    r.done()
    return f


def describe(m: Message, version: str) -> dict:
    """The JSON `zhifa jt809 decode` prints (keys as `zhifa jt808 decode`; names of messages in Chinese)."""
    h = m.header
    sub = m.fields.get("data_type")
    out = {
        "version": version,
        "message_id": f"0x{h.msg_id:04X}",
        "message": MESSAGE_NAMES.get(h.msg_id, ""),
        "serial": h.serial,
        "length": h.length,
        "center_id": h.center_id,
        "version_flag": ".".join(map(str, h.version_flag)),
        "encrypted": h.encrypted,
        "key": h.key,
        "crc": f"0x{m.crc:04X}",
    }
    if h.time is not None:
        out["time"] = h.time
    if sub is not None:
        out["data_type"] = f"0x{sub:04X}"
        out["data_message"] = SUB_NAMES.get(sub, "")
    out["body"] = {k: v for k, v in m.fields.items() if k != "data_type"}
    return out

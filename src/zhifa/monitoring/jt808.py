"""JT/T 808 (2013 and 2019) framing and the messages the gateway handles (enforcement-tech.md §4).

Framing: ``0x7E | header | body | XOR checksum | 0x7E``; escaping 0x7E ↔ 0x7D 0x02, 0x7D ↔ 0x7D 0x01 over
header, body and checksum; send = build → checksum → escape, receive = unescape → verify → parse.
Header: message id WORD, body properties WORD (bits 0–9 length, 10–12 encryption, 13 subpackage, 14 the
2019 version flag), [2019: protocol version BYTE], terminal phone BCD[6] (2013) / BCD[10] (2019),
serial WORD, [subpackage: total WORD, index WORD]. Big-endian; strings GBK; times BCD ``YYMMDDhhmmss`` in
GMT+8. Alarm and status bit names follow §4.3 (marked unconfirmed there: names only, no rule depends on
them except status bit 1 "positioned", which the data-qualification check uses).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8))
FLAG = 0x7E


class FrameError(ValueError):
    """A frame that cannot be decoded; the message is Chinese (shown by `zhifa jt808 decode`)."""


MESSAGE_NAMES = {
    0x0001: "终端通用应答",
    0x8001: "平台通用应答",
    0x0002: "终端心跳",
    0x0100: "终端注册",
    0x8100: "终端注册应答",
    0x0102: "终端鉴权",
    0x0200: "位置信息汇报",
    0x0704: "定位数据批量上传",
    0x0003: "终端注销",
}
ALARM_BITS = {
    0: "紧急报警",
    1: "超速报警",
    2: "疲劳驾驶",
    3: "危险预警",
    4: "GNSS模块故障",
    5: "GNSS天线未接或被剪断",
    6: "GNSS天线短路",
    7: "终端主电源欠压",
    8: "终端主电源掉电",
    9: "终端LCD或显示器故障",
    10: "TTS模块故障",
    11: "摄像头故障",
    12: "道路运输证IC卡模块故障",
    13: "超速预警",
    14: "疲劳驾驶预警",
    15: "违规行驶报警(2019)",
    16: "胎压预警(2019)",
    17: "右转盲区异常报警(2019)",
    18: "当天累计驾驶超时",
    19: "超时停车",
    20: "进出区域",
    21: "进出路线",
    22: "路段行驶时间不足/过长",
    23: "路线偏离报警",
    24: "车辆VSS故障",
    25: "车辆油量异常",
    26: "车辆被盗",
    27: "车辆非法点火",
    28: "车辆非法位移",
    29: "碰撞预警",
    30: "侧翻预警",
    31: "非法开门报警",
}
STATUS_BITS = {
    0: "ACC开",
    1: "已定位",
    2: "南纬",
    3: "西经",
    4: "停运状态",
    5: "经纬度已加密",
    10: "油路断开",
    11: "电路断开",
    12: "车门加锁",
    13: "门1开",
    14: "门2开",
    15: "门3开",
    16: "门4开",
    17: "门5开",
    18: "使用GPS定位",
    19: "使用北斗定位",
    20: "使用GLONASS定位",
    21: "使用Galileo定位",
    22: "车辆处于行驶状态(2019)",
}
EXTRA_NAMES = {
    0x01: "里程",
    0x02: "油量",
    0x03: "行驶记录仪速度",
    0x04: "需人工确认报警事件ID",
    0x05: "胎压",
    0x11: "超速报警附加信息",
    0x12: "进出区域/路线报警附加信息",
    0x13: "路段行驶时间不足/过长报警附加信息",
    0x25: "扩展车辆信号状态位",
    0x2A: "IO状态位",
    0x2B: "模拟量",
    0x30: "无线通信网络信号强度",
    0x31: "GNSS定位卫星数",
}


def escape(data: bytes) -> bytes:
    return data.replace(b"\x7d", b"\x7d\x01").replace(b"\x7e", b"\x7d\x02")


def unescape(data: bytes) -> bytes:
    if 0x7D not in data:  # the usual case: nothing escaped
        return bytes(data)
    out = bytearray()
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x7D:
            if i + 1 >= len(data) or data[i + 1] not in (1, 2):
                raise FrameError(f"第 {i + 1} 字节处转义序列无效（0x7D 后应为 0x01 或 0x02）")
            out.append(0x7D if data[i + 1] == 1 else 0x7E)
            i += 2
        else:
            out.append(b)
            i += 1
    return bytes(out)


def checksum(data: bytes) -> int:
    """XOR of all bytes: folded as one big integer (halves XORed together) rather than byte by byte."""
    n = len(data)
    x = int.from_bytes(data, "little")
    while n > 1:
        h = n // 2
        x = (x & ((1 << (8 * h)) - 1)) ^ (x >> (8 * h))
        n -= h
    return x & 0xFF


def bcd_decode(b: bytes) -> str:
    return b.hex()


def bcd_encode(digits: str, n: int) -> bytes:
    digits = digits.rjust(n * 2, "0")
    return bytes.fromhex(digits[-n * 2 :])


@dataclass
class Header:
    msg_id: int
    body_len: int
    encryption: int
    subpackage: bool
    version_2019: bool
    protocol_version: int | None
    phone: str
    serial: int
    total: int | None = None
    index: int | None = None

    @property
    def edition(self) -> str:
        return "2019" if self.version_2019 else "2013"


@dataclass
class Frame:
    header: Header
    body: bytes
    check: int
    fields: dict = field(default_factory=dict)


def parse_header(raw: bytes) -> tuple[Header, int]:
    if len(raw) < 12:
        raise FrameError(f"消息头不完整：至少 12 字节，实为 {len(raw)} 字节")
    msg_id, props = struct.unpack(">HH", raw[:4])
    v2019 = bool(props >> 14 & 1)
    sub = bool(props >> 13 & 1)
    if v2019:
        if len(raw) < 17:
            raise FrameError("2019 版消息头不完整：至少 17 字节")
        pv = raw[4]
        phone = bcd_decode(raw[5:15])
        serial = struct.unpack(">H", raw[15:17])[0]
        pos = 17
    else:
        pv = None
        phone = bcd_decode(raw[4:10])
        serial = struct.unpack(">H", raw[10:12])[0]
        pos = 12
    h = Header(msg_id, props & 0x3FF, props >> 10 & 0x7, sub, v2019, pv, phone, serial)
    if sub:
        if len(raw) < pos + 4:
            raise FrameError("分包消息头不完整")
        h.total, h.index = struct.unpack(">HH", raw[pos : pos + 4])
        pos += 4
    return h, pos


def decode_frame(frame: bytes) -> Frame:
    """Decode one frame, with or without the 0x7E flags."""
    if frame[:1] == b"\x7e":
        frame = frame[1:]
    if frame[-1:] == b"\x7e":
        frame = frame[:-1]
    raw = unescape(frame)
    if len(raw) < 13:
        raise FrameError(f"帧过短（反转义后 {len(raw)} 字节）")
    content, check = raw[:-1], raw[-1]
    calc = checksum(content)
    if calc != check:
        raise FrameError(f"校验码错误：帧内为 0x{check:02X}，计算得 0x{calc:02X}")
    header, pos = parse_header(content)
    body = content[pos:]
    if len(body) != header.body_len:
        raise FrameError(f"消息体长度不符：消息头声明 {header.body_len} 字节，实为 {len(body)} 字节")
    f = Frame(header, body, check)
    if not header.subpackage or header.index == 1 and header.total == 1:
        f.fields = decode_body(header, body)
    return f


def _gbk(b: bytes) -> str:
    return b.rstrip(b"\x00").decode("gbk", errors="replace").strip()


def bits(value: int, names: dict[int, str]) -> list[str]:
    return [name for bit, name in sorted(names.items()) if value >> bit & 1]


def _bcd_time(b: bytes) -> str:
    s = b.hex()
    try:
        dt = datetime(
            2000 + int(s[0:2]), int(s[2:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]), int(s[10:12]), tzinfo=CST
        )
    except ValueError as e:
        raise FrameError(f"定位时间“{s}”无效") from e
    return dt.isoformat()


def decode_position(body: bytes) -> dict:
    if len(body) < 28:
        raise FrameError(f"位置信息不完整：基本信息 28 字节，实为 {len(body)} 字节")
    alarm, status, lat, lon, alt, speed, heading = struct.unpack(">IIIIHHH", body[:22])
    if status >> 2 & 1:
        lat = -lat
    if status >> 3 & 1:
        lon = -lon
    out = {
        "alarm": alarm,
        "alarm_bits": bits(alarm, ALARM_BITS),
        "status": status,
        "status_bits": bits(status, STATUS_BITS),
        "lat": lat / 1e6,
        "lon": lon / 1e6,
        "altitude_m": alt,
        "speed_kmh": speed / 10,
        "heading": heading,
        "time": _bcd_time(body[22:28]),
        "extras": {},
    }
    i = 28
    while i + 2 <= len(body):
        eid, ln = body[i], body[i + 1]
        val = body[i + 2 : i + 2 + ln]
        if len(val) < ln:
            raise FrameError(f"附加信息 0x{eid:02X} 长度不足")
        name = EXTRA_NAMES.get(eid, f"0x{eid:02X}")
        n = int.from_bytes(val, "big") if ln in (1, 2, 4) else val.hex()
        if eid == 0x01:
            out["extras"]["mileage_km"] = n / 10
        elif eid == 0x02:
            out["extras"]["fuel_l"] = n / 10
        elif eid == 0x03:
            out["extras"]["tachograph_speed_kmh"] = n / 10
        else:
            out["extras"][name] = n
        i += 2 + ln
    return out


def decode_body(h: Header, body: bytes) -> dict:
    mid = h.msg_id
    if mid in (0x0001, 0x8001):
        if len(body) < 5:
            raise FrameError("通用应答消息体应为 5 字节")
        s, rid, result = struct.unpack(">HHB", body[:5])
        return {"reply_serial": s, "reply_id": f"0x{rid:04X}", "result": result}
    if mid == 0x0002:
        return {}
    if mid == 0x0100:
        if h.version_2019:
            prov, city = struct.unpack(">HH", body[:4])
            return {
                "province": prov,
                "city": city,
                "manufacturer": _gbk(body[4:15]),
                "model": _gbk(body[15:45]),
                "terminal_id": _gbk(body[45:75]),
                "plate_color": body[75],
                "plate": _gbk(body[76:]),
            }
        prov, city = struct.unpack(">HH", body[:4])
        return {
            "province": prov,
            "city": city,
            "manufacturer": _gbk(body[4:9]),
            "model": _gbk(body[9:29]),
            "terminal_id": _gbk(body[29:36]),
            "plate_color": body[36],
            "plate": _gbk(body[37:]),
        }
    if mid == 0x8100:
        s, result = struct.unpack(">HB", body[:3])
        return {"reply_serial": s, "result": result, "auth_code": _gbk(body[3:])}
    if mid == 0x0102:
        if h.version_2019:
            n = body[0]
            return {
                "auth_code": _gbk(body[1 : 1 + n]),
                "imei": _gbk(body[1 + n : 16 + n]),
                "software_version": _gbk(body[16 + n : 36 + n]),
            }
        return {"auth_code": _gbk(body)}
    if mid == 0x0200:
        return decode_position(body)
    if mid == 0x0704:
        count, kind = struct.unpack(">HB", body[:3])
        items, i = [], 3
        for _ in range(count):
            (ln,) = struct.unpack(">H", body[i : i + 2])
            items.append(decode_position(body[i + 2 : i + 2 + ln]))
            i += 2 + ln
        return {
            "count": count,
            "type": kind,
            "type_label": "盲区补报" if kind == 1 else "正常批量",
            "items": items,
        }
    return {"raw": body.hex()}


def describe(frame: Frame) -> dict:
    h = frame.header
    return {
        "message_id": f"0x{h.msg_id:04X}",
        "message": MESSAGE_NAMES.get(h.msg_id, "未支持的消息"),
        "edition": h.edition,
        "protocol_version": h.protocol_version,
        "terminal": h.phone.lstrip("0") or "0",
        "terminal_bcd": h.phone,
        "serial": h.serial,
        "body_length": h.body_len,
        "encryption": h.encryption,
        "subpackage": {"total": h.total, "index": h.index} if h.subpackage else None,
        "checksum": f"0x{frame.check:02X}",
        "body": frame.fields,
    }


def encode(
    msg_id: int, phone: str, serial: int, body: bytes, *, edition: str = "2013", protocol_version: int = 1
) -> bytes:
    props = len(body) & 0x3FF
    if edition == "2019":
        props |= 1 << 14
        head = struct.pack(">HHB", msg_id, props, protocol_version) + bcd_encode(phone, 10)
    else:
        head = struct.pack(">HH", msg_id, props) + bcd_encode(phone, 6)
    raw = head + struct.pack(">H", serial & 0xFFFF) + body
    return b"\x7e" + escape(raw + bytes([checksum(raw)])) + b"\x7e"


def general_response(reply_serial: int, reply_id: int, result: int) -> bytes:
    return struct.pack(">HHB", reply_serial & 0xFFFF, reply_id, result)


def position_body(
    *,
    lat: float,
    lon: float,
    speed_kmh: float,
    heading: int,
    when: datetime,
    alarm: int = 0,
    status: int = 0b10,
    altitude_m: int = 0,
    mileage_km: float | None = None,
) -> bytes:
    if lat < 0:
        status |= 1 << 2
    if lon < 0:
        status |= 1 << 3
    t = when.astimezone(CST)
    b = struct.pack(
        ">IIIIHHH",
        alarm,
        status,
        round(abs(lat) * 1e6),
        round(abs(lon) * 1e6),
        altitude_m,
        round(speed_kmh * 10),
        heading,
    )
    b += bytes.fromhex(t.strftime("%y%m%d%H%M%S"))
    if mileage_km is not None:
        b += bytes([0x01, 4]) + struct.pack(">I", round(mileage_km * 10))
    return b


def register_body(
    *, plate: str, plate_color: int, edition: str = "2013", terminal_id: str = "T000001"
) -> bytes:
    if edition == "2019":
        return (
            struct.pack(">HH", 44, 5322)
            + b"ZHIFA".ljust(11, b"\0")
            + b"SIM".ljust(30, b"\0")
            + terminal_id.encode().ljust(30, b"\0")
            + bytes([plate_color])
            + plate.encode("gbk")
        )
    return (
        struct.pack(">HH", 44, 5322)
        + b"ZHIFA"
        + b"SIM".ljust(20, b"\0")
        + terminal_id.encode()[:7].ljust(7, b"\0")
        + bytes([plate_color])
        + plate.encode("gbk")
    )


def auth_body(code: str, *, edition: str = "2013") -> bytes:
    if edition == "2019":
        c = code.encode("gbk")
        return bytes([len(c)]) + c + b"860000000000000"[:15].ljust(15, b"\0") + b"1.0".ljust(20, b"\0")
    return code.encode("gbk")


class FrameReader:
    """Splits a TCP byte stream into frames (handles split and coalesced packets)."""

    def __init__(self, limit: int = 4096):
        self.buf = bytearray()
        self.limit = limit

    def feed(self, data: bytes) -> list[bytes]:
        self.buf += data
        frames = []
        while True:
            start = self.buf.find(b"\x7e")
            if start < 0:
                self.buf.clear()
                break
            if start:
                del self.buf[:start]
            end = self.buf.find(b"\x7e", 1)
            if end < 0:
                if len(self.buf) > self.limit:
                    self.buf.clear()
                break
            if end == 1:  # two flags in a row: the first closed nothing
                del self.buf[:1]
                continue
            frames.append(bytes(self.buf[: end + 1]))
            del self.buf[: end + 1]
        return frames


def parse_hex(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("0x", "").replace(",", "")
    try:
        return bytes.fromhex(cleaned)
    except ValueError as e:
        raise FrameError("输入不是有效的十六进制字符串") from e


def position_row(body: bytes) -> tuple:
    """The gateway's fast path for a 0x0200 body (or a 0x0704 item): ``(ts, lon, lat, speed_kmh, heading,
    altitude_m, alarm, status, mileage_km)`` with ``ts`` in epoch seconds — the same values as
    :func:`decode_position`, without the names."""
    if len(body) < 28:
        raise FrameError(f"位置信息不完整：基本信息 28 字节，实为 {len(body)} 字节")
    alarm, status, lat, lon, alt, speed, heading = _POS.unpack_from(body)
    if status & 4:
        lat = -lat
    if status & 8:
        lon = -lon
    s = body[22:28].hex()
    ts = _TIMES.get(s)
    if ts is None:
        try:
            ts = int(
                datetime(
                    2000 + int(s[0:2]),
                    int(s[2:4]),
                    int(s[4:6]),
                    int(s[6:8]),
                    int(s[8:10]),
                    int(s[10:12]),
                    tzinfo=CST,
                ).timestamp()
            )
        except ValueError as e:
            raise FrameError(f"定位时间“{s}”无效") from e
        if len(_TIMES) > 100_000:
            _TIMES.clear()
        _TIMES[s] = ts
    mileage = None
    i, n = 28, len(body)
    while i + 2 <= n:
        eid, ln = body[i], body[i + 1]
        if i + 2 + ln > n:
            raise FrameError(f"附加信息 0x{eid:02X} 长度不足")
        if eid == 0x01 and ln in (1, 2, 4):
            mileage = int.from_bytes(body[i + 2 : i + 2 + ln], "big") / 10
        i += 2 + ln
    return ts, lon / 1e6, lat / 1e6, speed / 10, heading, alt, alarm, status, mileage


_POS = struct.Struct(">IIIIHHH")
_TIMES: dict[str, int] = {}

"""The JT/T 809 protocol library: frames of an open implementation as fixtures, hand-built vectors from the
field tables, and round-trips of every message in both header versions.

Fixtures from SmallChi/JT809 (MIT, https://github.com/SmallChi/JT809, src/JT809.Protocol.Test):
JT809Packages/JT809_0x1001PackageTest.cs (2011 login frame), JT809MessageBody/JT809_0x1102Test.cs (2019
link report frame), JT809Encrypt/JT809EncryptTest.cs (encryption), JT809SubMessageBody/
JT809_0x1200_0x1202Test.cs, JT809_0x9300_0x9301Test.cs, JT809_0x9400_0x9401Test.cs, Jt809_0x9102Test.cs.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from datetime import datetime

import pytest

from zhifa.monitoring import jt808
from zhifa.monitoring.jt809 import protocol as p

SMALLCHI_1001 = (
    "5B000000480000008510010133EFB8010000000000270F0133EFB832303138303932303132372E302E302E31"
    "000000000000000000000000000000000000000000000003296A915D"
)
SMALLCHI_1102_2019 = (
    "5B0000004C000000011102000027660000000000000000000000005F0596041102000000243330303030313233343500"
    "000000005F059604000000005F059604000000000A0000001E17B45D"
)


def test_smallchi_login_frame_2011():
    m = p.decode(bytes.fromhex(SMALLCHI_1001), version="2011")
    h = m.header
    assert (h.length, h.serial, h.msg_id, h.center_id, h.version_flag, h.key) == (
        72,
        133,
        0x1001,
        20180920,
        (1, 0, 0),
        9999,
    )
    assert m.fields == {"user_id": 20180920, "password": "20180920", "down_ip": "127.0.0.1", "down_port": 809}
    again = p.encode(0x1001, m.fields, version="2011", center_id=20180920, serial=133, key=9999)
    assert again.hex().upper() == SMALLCHI_1001


def test_smallchi_link_report_frame_2019():
    m = p.decode(bytes.fromhex(SMALLCHI_1102_2019), version="2019")
    assert m.header.time == int(datetime.fromisoformat("2020-07-08 17:46:44+08:00").timestamp())
    assert m.fields == {"data_type": 0x1102, "platform_id": "3000012345", "start": m.header.time, "end": m.header.time,
                        "lost": 0, "disconnects": 10, "disconnect_s": 30}  # fmt: skip
    again = p.encode(
        0x1102,
        m.fields,
        version="2019",
        center_id=10086,
        serial=1,
        time=m.header.time,
        version_flag=(0, 0, 0),
    )
    assert again.hex().upper() == SMALLCHI_1102_2019
    # the same frame read with the 2011 header is refused with a reason naming the other version
    with pytest.raises(p.FrameError, match="2019"):
        p.decode(bytes.fromhex(SMALLCHI_1102_2019), version="2011")


def test_smallchi_encryption_vector():
    c = p.Crypto(m1=30000000, ia1=20000000, ic1=20000000)
    assert p.crypt(bytes([1, 2, 3, 4, 5, 6, 7]), 256178, c).hex().upper() == "D34C7078A73A41"
    assert p.crypt(bytes.fromhex("D34C7078A73A41"), 256178, c) == bytes([1, 2, 3, 4, 5, 6, 7])


def test_smallchi_sub_bodies_2011():
    pos = "00130707DC0F0F0F07EF4D80017018400032003300000096002D002D0000000300000101"
    f = p.read_position_2011(p._R(bytes.fromhex(pos), "x"))
    assert f["time"] == [2012, 7, 19, 15, 15, 15] and f["lon"] == 133.123456 and f["lat"] == 24.123456
    assert (
        f["speed_kmh"],
        f["rec_speed_kmh"],
        f["mileage_km"],
        f["heading"],
        f["altitude_m"],
        f["status"],
        f["alarm"],
    ) == (50, 51, 150, 45, 45, 3, 257)
    assert p.position_2011(f).hex().upper() == pos
    q = "02 73 6D 61 6C 6C 63 68 69 00 00 00 00 00 00 0D 10 00 00 00 05 72 65 70 6C 79".replace(" ", "")
    r = p._R(bytes.fromhex(q), "x")
    assert p._query_dec(r, "2011") == {
        "object_type": 2,
        "object_id": "smallchi",
        "info_id": 3344,
        "content": "reply",
    }
    urge = ("010002000000005BAC3F40123FFAA1000000005BAC4D5003736D616C6C636869000000000000000031323334353637383930310000"
            "000000000000003132333435364071712E636F6D00000000000000000000000000000000000000")  # fmt: skip
    u = p._urge_dec(p._R(bytes.fromhex(urge), "x"), "2011")
    assert (
        u["warn_src"] == 1 and u["warn_type"] == 2 and u["supervision_id"] == 0x123FFAA1 and u["level"] == 3
    )
    assert u["warn_time"] == int(datetime.fromisoformat("2018-09-27 10:24:00+08:00").timestamp())
    assert u["deadline"] - u["warn_time"] == 3600
    assert (u["supervisor"], u["supervisor_tel"], u["supervisor_email"]) == (
        "smallchi",
        "12345678901",
        "123456@qq.com",
    )
    assert p._urge_enc(u, "2011").hex().upper() == urge
    req = p.decode_body(
        0x9102, bytes.fromhex("27660000001B3130303130000000000000000000004EBC924F000000004EBC924F")
    )
    assert req["platform_id"] == "10010" and req["start"] == int(
        datetime.fromisoformat("2011-11-11 11:11:11+08:00").timestamp()
    )


def test_crc_and_escape_by_hand():
    # CRC-16/CCITT-FALSE check value of "123456789" is 0x29B1 (both implementations)
    assert p.crc16(b"123456789") == p.crc16_fast(b"123456789") == 0x29B1
    raw = bytes([0x01, 0x5B, 0x5A, 0x5D, 0x5E, 0x02])
    assert p.escape(raw) == bytes([0x01, 0x5A, 0x01, 0x5A, 0x02, 0x5E, 0x01, 0x5E, 0x02, 0x02])
    assert p.unescape(p.escape(raw)) == raw
    # a 2011 keep-alive built by hand from the header table: 26 bytes, empty body
    head = struct.pack(">IIHI3BBI", 26, 7, 0x1005, 1234, 1, 0, 0, 0, 0)
    frame = b"\x5b" + p.escape(head + struct.pack(">H", p.crc16(head))) + b"\x5d"
    assert p.encode(0x1005, {}, version="2011", center_id=1234, serial=7) == frame
    m = p.decode(frame)
    assert (m.header.msg_id, m.header.serial, m.fields) == (0x1005, 7, {})


GNSS = jt808.position_body(
    lat=23.2, lon=111.5, speed_kmh=60, heading=90, when=datetime(2025, 3, 5, 10, 0, tzinfo=jt808.CST)
)
POS_2011 = {"encrypt": 0, "time": [2025, 3, 5, 10, 0, 0], "lon": 111.5, "lat": 23.2, "speed_kmh": 60, "rec_speed_kmh": 0,
            "mileage_km": 1200, "heading": 90, "altitude_m": 30, "status": 3, "alarm": 0}  # fmt: skip
POS_2019 = {"encrypt": 0, "gnss": GNSS.hex().upper(), "platform_id1": "44530000001", "alarm1": 0, "platform_id2": "",
            "alarm2": 0, "platform_id3": "", "alarm3": 0}  # fmt: skip
VEH = {"vehicle_no": "粤W12345", "vehicle_color": 2}


def cases(v: str) -> list[tuple[int, dict]]:
    pos = POS_2019 if v == "2019" else POS_2011
    out = [
        (0x1001, {"user_id": 1, "password": "pw", "down_ip": "10.0.0.1", "down_port": 7810}),
        (0x1002, {"result": 0, "result_label": "成功", "verify_code": 0xDEADBEEF}),
        (0x1003, {"user_id": 1, "password": "pw"}),
        (0x1004, {}), (0x1005, {}), (0x1006, {}),
        (0x1007, {"error_code": 1}), (0x1008, {"reason_code": 0}),
        (0x9001, {"verify_code": 99}), (0x9002, {"result": 0}), (0x9003, {"verify_code": 99}), (0x9004, {}),
        (0x9005, {}), (0x9006, {}), (0x9007, {"error_code": 0}), (0x9008, {"reason_code": 1}),
        (0x9101, {"total": 500, "start": 1741140000, "end": 1741143600}),
        (0x9102, {"data_type": 0x9102, "platform_id": "44530000001", "start": 1741140000, "end": 1741143600}),
        (0x1102, {"data_type": 0x1102, "platform_id": "44530000001", "start": 1741140000, "end": 1741143600,
                  "lost": 3, "disconnects": 2, "disconnect_s": 95}),
        (0x1200, dict(VEH, data_type=0x1201, platform_id="44530000001", producer_id="70001", model="ZH-1",
                      terminal_id="T000001", sim="13800000001")),
        (0x1200, dict(VEH, data_type=0x1202, **pos)),
        (0x1200, dict(VEH, data_type=0x1203, positions=[pos, pos])),
        (0x9300, {"data_type": 0x9301, "object_type": 1, "object_id": "7001", "info_id": 12, "content": "请报告值班人员"}
                 | ({"answer_time": 10} if v == "2019" else {})),
        (0x1300, {"data_type": 0x1301, "object_type": 1, "object_id": "7001", "content": "张三在岗"}
                 | ({"responder": "张三", "responder_tel": "13800000000", "source_type": 0x9301, "source_sn": 88}
                    if v == "2019" else {"info_id": 12})),
        (0x9300, {"data_type": 0x9302, "object_type": 2, "object_id": "7001", "info_id": 3, "content": "通知"}),
        (0x1300, {"data_type": 0x1302, "info_id": 3}),
        (0x9400, dict(VEH, data_type=0x9401, warn_src=3, warn_type=2, warn_time=1741140000, supervision_id=5,
                      deadline=1741226400, level=0, supervisor="李四", supervisor_tel="0766-1234567", supervisor_email="a@b.cn")),
        (0x1400, dict(VEH, data_type=0x1401, supervision_id=5, result=1)),
        (0x1400, dict(VEH, data_type=0x1402, warn_type=1, warn_time=1741140000, content="超速报警")
                 | ({"source_platform_id": "44530000001", "start": 1741140000, "end": 1741140300, "vehicle_no": "粤W12345",
                     "vehicle_color": 2, "target_platform_id": "44530000000", "line_id": 0}
                    if v == "2019" else {"warn_src": 1, "info_id": 0})),
        (0x1400, dict(VEH, data_type=0x1403, info_id=9, result=1)),
        (0x9400, dict(VEH, data_type=0x9402, warn_type=1, warn_time=1741140000, content="预警")
                 | ({"source_platform_id": "", "start": 0, "end": 0, "vehicle_no": "粤W12345", "vehicle_color": 2,
                     "target_platform_id": "", "line_id": 0} if v == "2019" else {"warn_src": 3, "info_id": 0})),
    ]  # fmt: skip
    if v == "2019":
        out += [
            (0x1400, dict(VEH, data_type=0x1411, source_type=0x9401, source_sn=77, result=0)),
            (0x1400, dict(VEH, data_type=0x1412, source_type=0x9401, source_sn=77, result=1)),
            (0x1400, dict(VEH, data_type=0x1413, source_platform_id="44530000001", warn_time=1741140000, source_type=0x9401,
                          source_sn=77, deadline=1741226400, level=1, supervisor="王五", supervisor_tel="1", supervisor_email="")),
        ]  # fmt: skip
    return out


@pytest.mark.parametrize("version", ["2011", "2019"])
@pytest.mark.parametrize("crypt", [False, True])
def test_round_trip_every_message(version, crypt):
    crypto = p.Crypto(30000000, 20000000, 20000000) if crypt else None
    seen = set()
    for k, (mid, fields) in enumerate(cases(version)):
        frame = p.encode(
            mid,
            fields,
            version=version,
            center_id=7001,
            serial=k,
            crypto=crypto,
            key=1000 + k,
            time=1741140000,
        )
        assert frame[0] == 0x5B and frame[-1] == 0x5D and 0x5B not in frame[1:-1] and 0x5D not in frame[1:-1]
        m = p.decode(frame, version=version, crypto=crypto)
        assert m.header.msg_id == mid and m.header.serial == k and m.header.encrypted == crypt
        assert m.header.time == (1741140000 if version == "2019" else None)
        assert m.fields == fields, (hex(mid), m.fields)
        seen.add(fields.get("data_type", mid))
    expected = {0x1001, 0x1002, 0x1003, 0x1004, 0x1005, 0x1006, 0x1007, 0x1008, 0x9001, 0x9002, 0x9003, 0x9004, 0x9005,
                0x9006, 0x9007, 0x9008, 0x9101, 0x9102, 0x1102, 0x1201, 0x1202, 0x1203, 0x9301, 0x1301, 0x9302, 0x1302,
                0x9401, 0x1401, 0x1402, 0x1403, 0x9402}  # fmt: skip
    assert expected <= seen
    if version == "2019":
        assert {0x1411, 0x1412, 0x1413} <= seen


def test_bad_frames_are_refused_with_a_reason():
    good = p.encode(0x1005, {}, center_id=1, serial=1)
    with pytest.raises(p.FrameError, match="CRC"):
        p.decode(good[:-3] + bytes([good[-3] ^ 1]) + good[-2:])
    with pytest.raises(p.FrameError, match="0x5B"):
        p.decode(good[1:])
    with pytest.raises(p.FrameError, match="转义"):
        p.decode(b"\x5b\x00\x5a\x07\x5d")
    with pytest.raises(p.FrameError, match="过短"):
        p.decode(b"\x5b\x00\x01\x5d")
    with pytest.raises(p.FrameError, match="不支持的业务类型 0x7777"):
        p.decode(p.encode(0x7777, body=b"", center_id=1, serial=1))
    with pytest.raises(p.FrameError, match="已加密"):
        p.decode(p.encode(0x1005, {}, center_id=1, serial=1, crypto=p.Crypto(3, 2, 1), key=5))
    truncated = p.encode(0x1001, body=b"\x00\x00\x00\x01pw", center_id=1, serial=1)
    with pytest.raises(p.FrameError, match="主链路登录请求（0x1001）：字段“密码”需要 8 字节"):
        p.decode(truncated)
    with pytest.raises(p.FrameError, match="仅见于 2019"):
        p.encode(0x1400, dict(VEH, data_type=0x1411, source_sn=1, result=0), center_id=1, serial=1)
    with pytest.raises(p.FrameError, match="车牌号"):
        p.encode_body(0x1200, {"vehicle_no": "粤W1234567890123456789", "data_type": 0x1202, **POS_2011})
    with pytest.raises(p.FrameError, match="协议版本"):
        p.decode(good, version="2013")


def test_frame_reader_splits_and_joins():
    a = p.encode(0x1005, {}, center_id=1, serial=1)
    b = p.encode(0x1006, {}, center_id=1, serial=2)
    r = p.FrameReader()
    assert r.feed(b"junk" + a + b[:5]) == [a]
    assert r.feed(b[5:]) == [b]


def test_protocol_library_has_no_django():
    code = "import sys, zhifa.monitoring.jt809.protocol; print(sorted(m for m in sys.modules if m.startswith('django')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_decode(capsys):
    from zhifa.cli import main

    assert main(["jt809", "decode", SMALLCHI_1001]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (
        doc["message_id"] == "0x1001"
        and doc["message"] == "主链路登录请求"
        and doc["body"]["down_port"] == 809
    )
    assert main(["jt809", "decode", SMALLCHI_1102_2019, "--version", "2019"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["data_type"] == "0x1102" and doc["body"]["disconnect_s"] == 30
    assert main(["jt809", "decode", "5B00"]) == 1
    assert "无法解析" in capsys.readouterr().err

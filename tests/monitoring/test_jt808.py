"""The JT/T 808 decoder against public frames of peer implementations (enforcement-tech.md §4.4).

Fixture notes: SmallChi/JT808's "Speed = 60" is the raw value in 0.1 km/h (6.0 km/h); its 0x0100 fixtures pad
the text fields with ASCII '0' (0x30) rather than 0x00, so their decoded model/terminal id keep those '0's;
yezhihao's 0x0200 sample swaps latitude and longitude (so it is not used for range checks); xtream-codec's
"Sample2" JSON describes sample 1 and its times carry a "Z" although JT/T 808 times are GMT+8.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhifa.monitoring import jt808

# SmallChi/JT808 JT808_0x0200Test Demo1/Demo2 (checksum verified in enforcement-tech.md §4.4 🧪)
F0200 = (
    "7E 02 00 00 26 12 34 56 78 90 12 00 7D 02 00 00 00 01 00 00 00 02 00 BA 7F 0E 07 E4 F1 1C 00 28 00 3C 00 00"
    " 18 10 15 10 10 10 01 04 00 00 00 64 02 02 00 7D 01 13 7E"
)
# SmallChi/JT808 JT808_0x0704Test.Test2
F0704 = (
    "7E0704005311223344556622B80002000026000000010000000200BA7F0E07E4F11C0028003C000018071510101001040000006402"
    "0200370026000000020000000100CB735507E6A32300290036007818071510103001040000006002020042D47E"
)
# SmallChi/JT808 JT808_0x0100Test.Test1_1 (2013) and Test2019_2 (2019)
F0100_2013 = (
    "7E 01 00 00 2D 00 01 23 45 67 89 00 0A 00 28 00 32 31 32 33 34 30 73 6D 61 6C 6C 63 68 69 31 32 33 30 30"
    " 30 30 30 30 30 30 30 43 48 49 31 32 33 30 01 D4 C1 41 31 32 33 34 35 BA 7E"
)
F0100_2019 = (
    "7E010040540100000000000123456789000A00280032303030303030303132333430303030303030303030303030303030303030"
    "736D616C6C63686931323330303030303030303030303030303030303030303030303043484931323301D4C1413132333435B27E"
)


def test_position_2013_with_escapes():
    f = jt808.decode_frame(jt808.parse_hex(F0200))
    h, b = f.header, f.fields
    assert (h.msg_id, h.edition, h.phone, h.serial) == (0x0200, "2013", "123456789012", 126)  # 0x007E escaped
    assert (b["alarm"], b["status"], b["lat"], b["lon"]) == (1, 2, 12.222222, 132.444444)
    assert (b["altitude_m"], b["speed_kmh"], b["heading"]) == (40, 6.0, 0)
    assert b["time"] == "2018-10-15T10:10:10+08:00"
    assert b["extras"] == {"mileage_km": 10.0, "fuel_l": 12.5}  # fuel 125 = 0x007D, escaped
    assert b["alarm_bits"] == ["紧急报警"] and b["status_bits"] == ["已定位"]
    assert f.check == 0x13


def test_batch_upload_0704():
    f = jt808.decode_frame(jt808.parse_hex(F0704))
    assert f.header.serial == 8888 and f.header.phone == "112233445566"
    b = f.fields
    assert (b["count"], b["type"]) == (2, 0)
    one, two = b["items"]
    assert (one["lat"], one["lon"], one["speed_kmh"], one["time"]) == (
        12.222222,
        132.444444,
        6.0,
        "2018-07-15T10:10:10+08:00",
    )
    assert (two["alarm"], two["status"], two["lat"], two["lon"], two["heading"]) == (
        2,
        1,
        13.333333,
        132.555555,
        120,
    )
    assert two["extras"] == {"mileage_km": 9.6, "fuel_l": 6.6}


def test_register_2013_and_2019():
    a = jt808.decode_frame(jt808.parse_hex(F0100_2013))
    assert a.header.edition == "2013" and a.header.phone == "000123456789" and a.header.serial == 10
    assert (a.fields["province"], a.fields["city"], a.fields["plate_color"], a.fields["plate"]) == (
        40,
        50,
        1,
        "粤A12345",
    )
    assert a.fields["terminal_id"] == "CHI1230"  # SmallChi pads with ASCII '0'
    b = jt808.decode_frame(jt808.parse_hex(F0100_2019))
    assert b.header.edition == "2019" and b.header.protocol_version == 1
    assert b.header.phone == "00000000000123456789"
    assert b.fields["plate"] == "粤A12345" and b.fields["terminal_id"].endswith("CHI123")


def test_bad_checksum_and_bad_escape():
    raw = bytearray(jt808.parse_hex(F0200))
    raw[-2] ^= 0xFF
    with pytest.raises(jt808.FrameError, match="校验码错误"):
        jt808.decode_frame(bytes(raw))
    with pytest.raises(jt808.FrameError, match="转义"):
        jt808.decode_frame(bytes.fromhex("7E02007D037E"))


def test_2019_position_round_trip_and_south_west():
    when = datetime.fromisoformat("2025-03-05T23:59:58+08:00")
    body = jt808.position_body(
        lat=-23.5, lon=-111.25, speed_kmh=88.8, heading=359, when=when, mileage_km=1234.5
    )
    frame = jt808.encode(0x0200, "13800138000", 0x7E7D, body, edition="2019")
    f = jt808.decode_frame(frame)
    assert f.header.edition == "2019" and f.header.serial == 0x7E7D
    assert f.header.phone.lstrip("0") == "13800138000"
    assert (f.fields["lat"], f.fields["lon"], f.fields["speed_kmh"]) == (-23.5, -111.25, 88.8)
    assert "南纬" in f.fields["status_bits"] and f.fields["extras"]["mileage_km"] == 1234.5


@given(st.binary(max_size=300))
def test_escape_round_trip(data):
    esc = jt808.escape(data)
    assert b"\x7e" not in esc
    assert jt808.unescape(esc) == data


def test_split_and_coalesced_packets():
    frame = jt808.parse_hex(F0200)
    r = jt808.FrameReader()
    stream = b"junk" + frame + frame
    out = []
    for i in range(0, len(stream), 7):
        out += r.feed(stream[i : i + 7])
    assert out == [frame, frame]


def test_cli_decode(capsys):
    from zhifa.cli import main

    assert main(["jt808", "decode", F0200]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["message_id"] == "0x0200" and doc["edition"] == "2013" and doc["body"]["speed_kmh"] == 6.0
    assert main(["jt808", "decode", "7E0200"]) == 1
    assert "error" in json.loads(capsys.readouterr().out)

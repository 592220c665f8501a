"""WIM record format: the input columns (CSV header / JSON keys, issue 6 §2), their normalisation, and
the Arrow schema of the stored (Parquet) form.

A row that cannot be stored at all (no record id or station, unparseable time or number) is *rejected*
with its row number and a Chinese reason. A row that parses but whose content makes it unusable (an
unreadable plate, a gross mass of 0) is *kept* and later screened as ``invalid`` — the record is
evidence that the device produced it.

``passed_at`` is stored as the Asia/Shanghai wall-clock time (fixed +08:00, no DST since 1991), so that
day and hour statistics need no time-zone database in DuckDB.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from zhifa.core.exports import import_text_error, spreadsheet_row
from zhifa.core.identifiers import parse_plate_color, validate_plate

from .rules import KIND_ALIASES, normalise_class

CST = timezone(timedelta(hours=8), "Asia/Shanghai")

COLUMNS = (
    "record_id",
    "station_code",
    "lane",
    "passed_at",
    "plate",
    "plate_color",
    "axle_count",
    "vehicle_kind",
    "gross_kg",
    "axle_weights_kg",
    "axle_spacings_mm",
    "drive_axle_single",
    "single_tyre_axles",
    "wide_tyre",
    "air_suspension",
    "speed_kmh",
    "device_class",
    "images",
)
REQUIRED = ("record_id", "station_code", "passed_at")

SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("station_code", pa.string()),
        ("lane", pa.int16()),
        ("passed_at", pa.timestamp("us")),  # Asia/Shanghai wall clock
        ("plate", pa.string()),
        ("plate_valid", pa.bool_()),
        ("plate_color", pa.string()),
        ("axle_count", pa.int16()),
        ("vehicle_kind", pa.string()),  # truck / combination / "" (unknown)
        ("gross_kg", pa.int32()),
        ("axle_weights_kg", pa.list_(pa.int32())),
        ("axle_spacings_mm", pa.list_(pa.int32())),
        ("drive_axle_single", pa.bool_()),
        ("single_tyre_axles", pa.int16()),
        ("wide_tyre", pa.bool_()),
        ("air_suspension", pa.bool_()),
        ("speed_kmh", pa.float32()),
        ("device_class", pa.string()),
        ("images", pa.list_(pa.string())),
        ("extra", pa.string()),  # unknown input columns, JSON
    ]
)

_TRUE = {"1", "true", "t", "yes", "y", "是", "有"}
_FALSE = {"0", "false", "f", "no", "n", "否", "无", ""}
_UNREADABLE = {"", "无牌", "未识别", "未知", "无车牌", "车牌未识别", "unknown", "none"}


class RowError(ValueError):
    pass


@dataclass
class ParseResult:
    rows: list[dict[str, Any]]
    errors: list[dict[str, Any]]  # {"row": n, "record_id": ..., "reason": ...}


# The range of each stored integer type: a value outside it made pyarrow refuse the whole batch
# (ArrowInvalid, e.g. lane 70000 in an int16), issue 16 item 9.
INT16 = (-(2**15), 2**15 - 1)
INT32 = (-(2**31), 2**31 - 1)
FLOAT32_MAX = 3.4e38
# 过车时间 a WIM station can have produced; year 1 overflowed the time-zone conversion (OverflowError)
PASSED_MIN, PASSED_MAX = datetime(2000, 1, 1), datetime(2100, 1, 1)


def _text(v: Any) -> str:
    if isinstance(v, dict | list):
        raise RowError("字段值应为文本或数字，不能是 JSON 对象或数组")
    return "" if v is None else str(v).strip()


def _int(v: Any, name: str, *, required: bool = False, bounds: tuple[int, int] = INT32) -> int | None:
    t = _text(v)
    if not t:
        if required:
            raise RowError(f"{name}不能为空")
        return None
    try:
        f = float(t)
        whole = f == int(f)
    except (ValueError, OverflowError):  # OverflowError: "inf"
        raise RowError(f"{name}“{t[:30]}”不是数字") from None
    if not whole:
        raise RowError(f"{name}“{t}”应为整数")
    if not bounds[0] <= f <= bounds[1]:
        raise RowError(f"{name}“{t[:30]}”超出范围（{bounds[0]} 到 {bounds[1]}）")
    return int(f)


def _bool(v: Any, name: str) -> bool:
    if isinstance(v, bool):
        return v
    t = _text(v).lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise RowError(f"{name}“{t}”应为 true/false")


def _list(v: Any, name: str, cast=int) -> list:
    if isinstance(v, list):
        items = v
    else:
        t = _text(v)
        items = [p for p in t.replace("；", ";").replace(",", ";").split(";") if p.strip()] if t else []
    if cast is str:
        out = [_text(x) for x in items]
        for x in out:
            _check_text(x, name)
        return out
    return [_int(x if isinstance(x, int | float) else _text(x), name, required=True) for x in items]


def _check_text(text: str, label: str) -> str:
    """A text field of a WIM record: no NUL and nothing a spreadsheet would evaluate (issue 16 items 1, 9)."""
    reason = import_text_error(text, label)
    if reason:
        raise RowError(reason)
    return text


def parse_time(v: Any) -> datetime:
    """ISO 8601 with offset → naive Asia/Shanghai wall clock."""
    t = _text(v)
    if not t:
        raise RowError("过车时间不能为空")
    try:
        dt = datetime.fromisoformat(t.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(f"过车时间“{t[:40]}”不是 ISO 8601 格式（如 2026-11-01T08:30:00+08:00）") from None
    if dt.tzinfo is None:
        raise RowError(f"过车时间“{t}”缺少时区（应带 +08:00 等偏移）")
    if not PASSED_MIN <= dt.replace(tzinfo=None) < PASSED_MAX:
        raise RowError(f"过车时间“{t}”超出有效范围（{PASSED_MIN.year} 年至 {PASSED_MAX.year - 1} 年）")
    return dt.astimezone(CST).replace(tzinfo=None)


def normalise_row(raw: dict[str, Any], *, code_set: str = "toll") -> dict[str, Any]:
    """One input row (strings, or JSON values) → the stored form. Raises RowError (Chinese) to reject.

    A numeric plate colour is read in ``code_set`` (the station's: ``toll`` or ``jtt697``, the two sets of
    enforcement-tech.md §6.3); a value prefixed ``toll:`` or ``jtt697:`` names its set explicitly."""
    for key, value in raw.items():
        if isinstance(key, str) and "\x00" in key or isinstance(value, str) and "\x00" in value:
            raise RowError("含有空字符（NUL），请检查文件是否损坏")
    rec_id = _check_text(_text(raw.get("record_id")), "检测流水号")
    station = _check_text(_text(raw.get("station_code")), "检测点编号")
    if not rec_id:
        raise RowError("检测流水号 record_id 不能为空")
    if len(rec_id) > 64:
        raise RowError("检测流水号 record_id 超过 64 个字符")
    if not station:
        raise RowError("检测点编号 station_code 不能为空")
    passed = parse_time(raw.get("passed_at"))
    plate_raw = _check_text(_text(raw.get("plate")), "车牌号")
    plate_valid = False
    plate = plate_raw
    if plate_raw.lower() not in _UNREADABLE:
        check = validate_plate(plate_raw)
        plate, plate_valid = check.value, check.ok
    color_raw = _text(raw.get("plate_color"))
    try:
        prefix, sep, rest = color_raw.partition(":")
        if sep and prefix.lower() in ("toll", "jtt697"):
            color = parse_plate_color(rest, code_set=prefix.lower()).value
        else:
            color = parse_plate_color(color_raw, code_set=code_set).value if color_raw else "unknown"
    except ValueError as e:
        raise RowError(str(e)) from None
    kind_raw = _text(raw.get("vehicle_kind"))
    kind = KIND_ALIASES.get(kind_raw, KIND_ALIASES.get(kind_raw.lower(), ""))
    if kind_raw and not kind:
        raise RowError(f"车型“{kind_raw}”无效，应为 货车 或 汽车列车（半挂/全挂/中置轴挂车列车）")
    speed = _text(raw.get("speed_kmh"))
    try:
        speed_v = float(speed) if speed else None
    except ValueError:
        raise RowError(f"车速“{speed[:30]}”不是数字") from None
    if speed_v is not None and not -FLOAT32_MAX <= speed_v <= FLOAT32_MAX:  # also nan and inf
        raise RowError(f"车速“{speed[:30]}”超出范围")
    extra = {k: v for k, v in raw.items()
             if k not in COLUMNS and k is not None and (isinstance(v, dict | list) or _text(v))}
    try:
        extra_json = json.dumps(extra, ensure_ascii=False) if extra else ""
    except (RecursionError, ValueError):
        raise RowError("附加字段嵌套层数过深或无法保存") from None
    return {
        "record_id": rec_id,
        "station_code": station,
        "lane": _int(raw.get("lane"), "车道号", bounds=INT16),
        "passed_at": passed,
        "plate": plate,
        "plate_valid": plate_valid,
        "plate_color": color,
        "axle_count": _int(raw.get("axle_count"), "轴数", bounds=INT16),
        "vehicle_kind": kind,
        "gross_kg": _int(raw.get("gross_kg"), "车货总质量"),
        "axle_weights_kg": _list(raw.get("axle_weights_kg"), "轴重"),
        "axle_spacings_mm": _list(raw.get("axle_spacings_mm"), "轴距"),
        "drive_axle_single": _bool(raw.get("drive_axle_single"), "驱动轴为单轴"),
        "single_tyre_axles": _int(raw.get("single_tyre_axles"), "单胎轴数", bounds=INT16) or 0,
        "wide_tyre": _bool(raw.get("wide_tyre"), "宽胎"),
        "air_suspension": _bool(raw.get("air_suspension"), "空气悬架"),
        "speed_kmh": speed_v,
        "device_class": normalise_class(raw.get("device_class")),
        "images": _list(raw.get("images"), "图片", cast=str),
        "extra": extra_json,
    }


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise RowError("文件编码无法识别（应为 UTF-8 或 GBK）")


def iter_raw(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(row number, raw dict or None, error) per data row; CSV (header row = line 1) or JSON lines."""
    text = _decode(Path(path).read_bytes())
    yield from iter_raw_text(text, jsonl=Path(path).suffix.lower() in (".jsonl", ".json", ".ndjson"))


def iter_raw_text(text: str, *, jsonl: bool) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    if jsonl:
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                yield n, None, f"JSON 格式错误：{e.msg}"
                continue
            except RecursionError:  # a line of [[[[…: the whole file used to fail (issue 16 item 9)
                yield n, None, "JSON 嵌套层数过深"
                continue
            if not isinstance(obj, dict):
                yield n, None, "每行应为一个 JSON 对象"
                continue
            yield n, obj, ""
        return
    from zhifa.core.imports import csv_records

    header: list[str] | None = None
    for n, cells, reason in csv_records(text):
        if header is None:
            if cells is None:
                yield n, None, f"表头无法读取：{reason}"
                return
            header = cells
            continue
        if cells is None:  # a cell over the csv module's limit: this row only (issue 16 item 9)
            yield n, None, reason
            continue
        if not cells:  # a blank line, as DictReader skips it
            continue
        if len(cells) > len(header):  # more cells than header names
            yield n, None, "列数多于表头"
            continue
        yield n, dict(zip(header, cells + [None] * (len(header) - len(cells)), strict=True)), ""


def parse_rows(
    items: Iterable[tuple[int, dict[str, Any] | None, str]], *, code_sets: dict[str, str] | None = None
) -> ParseResult:
    """Normalise every row; ``code_sets`` maps a station code to its plate-colour code set."""
    code_sets = code_sets or {}
    rows, errors = [], []
    for n, raw, err in items:
        if raw is None:
            errors.append({"row": n, "record_id": "", "reason": err})
            continue
        try:
            rows.append(normalise_row(raw, code_set=code_sets.get(_text(raw.get("station_code")), "toll")))
        except RowError as e:
            errors.append({"row": n, "record_id": _text(raw.get("record_id")), "reason": str(e)})
    return ParseResult(rows, errors)


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def write_errors(errors: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["行号", "检测流水号", "原因"])
        for e in errors:
            w.writerow(spreadsheet_row([e["row"], e["record_id"], e["reason"]]))

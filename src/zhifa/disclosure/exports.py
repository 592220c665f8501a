"""CSV / XLSX / JSON of PUBLIC rows only (the masked 公示版), in the national data-item order.

Every spreadsheet cell goes through :func:`zhifa.core.exports.spreadsheet_row` (formula injection)."""

from __future__ import annotations

import json

from zhifa.core.exports import csv_bytes, xlsx_bytes

from . import rules
from .models import DisclosureKind

BASE = [
    ("kind", "类别"),
    ("decided_on", "决定日期"),
    ("published_on", "公示日期"),
    ("publish_until", "公示截止期"),
]


def columns(kind: str = "") -> list[tuple[str, str]]:
    kinds = [kind] if kind else list(DisclosureKind.values)
    cols: list[tuple[str, str]] = []
    seen = set()
    for k in kinds:
        for key, label, _ in rules.ITEMS[k]:
            if key not in seen and key != "decided_on":
                seen.add(key)
                cols.append((key, label))
    return BASE + cols


# A push batch (信用中国 / the provincial platform) carries every change since the last batch: each row
# says what happened to it there (新增 / 变更 / 撤销公示) and why, so that publication stops in step on every
# platform (36号令: 信用修复 ends publication and sharing in sync; 处罚法 Art 48: a changed or revoked
# decision comes down).
CHANGE_COLUMNS = [("change", "数据状态"), ("change_reason", "状态原因"), ("change_on", "状态日期")]
NEW, CHANGED, WITHDRAWN = "新增", "变更", "撤销公示"


def row_digest(r) -> str:
    """What the platform holds for a row: its public data items and 公示截止期."""
    from zhifa.core.crypto import digest_bytes

    body = {"data": r.data, "publish_until": r.publish_until.isoformat() if r.publish_until else ""}
    return digest_bytes(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def rows(public_rows, kind: str = "", changes: dict | None = None) -> tuple[list[str], list[list[str]]]:
    """The national data items of each row; with ``changes`` ({record id: (状态, 原因, 日期)}) a push batch's
    state columns come first."""
    cols = columns(kind)
    if changes is not None:
        cols = CHANGE_COLUMNS + cols
    labels = dict(DisclosureKind.choices)
    out = []
    for r in public_rows:
        base = {
            "kind": labels.get(r.kind, r.kind),
            "decided_on": r.decided_on.isoformat(),
            "published_on": r.published_on.isoformat(),
            "publish_until": r.publish_until.isoformat() if r.publish_until else "",
        }
        if changes is not None:
            state, reason, on = changes[r.record_id]
            base.update({"change": state, "change_reason": reason, "change_on": on})
        out.append([str(base.get(k, r.data.get(k, ""))) for k, _ in cols])
    return [label for _, label in cols], out


def to_csv(header, data) -> bytes:
    return csv_bytes(header, data)


def to_xlsx(header, data) -> bytes:
    return xlsx_bytes(header, data, sheet="公示")


def to_json(header, data) -> bytes:
    return json.dumps([dict(zip(header, row, strict=True)) for row in data], ensure_ascii=False).encode(
        "utf-8"
    )

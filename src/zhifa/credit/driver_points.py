"""Driver 诚信考核 points per behaviour (计分分值), as rule data.

The table is ``data/driver_points.json``: the annex (附件1 道路运输驾驶员诚信考核计分分值) of
《道路运输驾驶员诚信考核办法（试行）》 (交通运输部, 2008-08-29). Confirmed from the 办法's text as quoted
(see the file's ``sources``): single-behaviour values 20/10/5/3/1, full score 20, 12-month cycle, several
behaviours at once scored separately and added. The annex's own items were NOT retrieved: every item of the
shipped table is a provisional local choice (``confirmed: false``, ``annex_item: null``). A bureau that holds
the official annex replaces the whole table with ``ZHIFA_CREDIT_DRIVER_POINTS=/path/file.json`` (same
format, checked by :func:`check_table` and ``zhifa credit driver-points --file``).

Each item: ``key`` (stable id that records keep), ``annex_item`` (the annex's own number, when known),
``behaviour``, ``points``, ``confirmed``, ``catalogue`` (codes of the violation catalogue, rules app, that
are this behaviour; a code maps to at most one item).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

BUILTIN = Path(__file__).parent / "data" / "driver_points.json"
FORMAT = "zhifa-driver-points-1"
VALUES = (20, 10, 5, 3, 1)  # the 办法's five values (confirmed)


class TableError(ValueError):
    """A driver points table that cannot be used; the message is Chinese and names the item."""


@dataclass(frozen=True)
class Item:
    key: str
    annex_item: str
    behaviour: str
    points: int
    confirmed: bool
    catalogue: tuple[str, ...]

    @property
    def label(self) -> str:
        """How an explanation names the item: the annex number when known, else the local key."""
        number = f"附件1第{self.annex_item}项" if self.annex_item else f"计分项目 {self.key}"
        return number + ("" if self.confirmed else "（暂定，未经原文核实）")


@dataclass(frozen=True)
class Table:
    title: str
    document: str
    path: str
    full_points: int
    items: dict[str, Item]
    by_violation: dict[str, str]

    @property
    def confirmed(self) -> bool:
        return bool(self.items) and all(i.confirmed for i in self.items.values())


def check_table(doc: Any, *, known_codes: set[str] | None = None) -> list[str]:
    """Every problem of a table document, in Chinese ("" list when usable). ``known_codes``: the violation
    catalogue's codes, to refuse a mapping to a code that does not exist."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        return [f"不是诚信考核计分分值表（format 应为 {FORMAT}）"]
    err: list[str] = []
    items = doc.get("items")
    if not isinstance(items, list) or not items:
        return ["items 应为非空列表"]
    keys: set[str] = set()
    codes: dict[str, str] = {}
    for n, it in enumerate(items, 1):
        where = f"第 {n} 项"
        if not isinstance(it, dict):
            err.append(f"{where}：应为对象")
            continue
        key = str(it.get("key") or "").strip()
        where = f"第 {n} 项（{key or '无编号'}）"
        if not key or len(key) > 20:
            err.append(f"{where}：key 不能为空且不超过 20 个字符")
        elif key in keys:
            err.append(f"{where}：key 重复")
        keys.add(key)
        if not str(it.get("behaviour") or "").strip():
            err.append(f"{where}：缺少计分行为（behaviour）")
        if it.get("points") not in VALUES or isinstance(it.get("points"), bool):
            err.append(f"{where}：分值应为 20、10、5、3、1 之一（办法规定的五种分值）")
        if not isinstance(it.get("confirmed"), bool):
            err.append(f"{where}：confirmed 应为 true 或 false")
        cat = it.get("catalogue", [])
        if not isinstance(cat, list) or not all(isinstance(c, str) for c in cat):
            err.append(f"{where}：catalogue 应为违法行为编号列表")
            continue
        for c in cat:
            if c in codes:
                err.append(f"{where}：违法行为 {c} 已对应计分项目 {codes[c]}，一个违法行为只能对应一个计分项目")
            elif known_codes is not None and c not in known_codes:
                err.append(f"{where}：执法事项库中没有违法行为 {c}")
            codes[c] = key
    return err


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise TableError(f"无法读取诚信考核计分分值表 {path}：{e.strerror}") from None
    except ValueError as e:
        raise TableError(f"诚信考核计分分值表 {path} 不是有效的 JSON：{e}") from None


def load_table(path: str | Path | None = None) -> Table:
    path = Path(path) if path else BUILTIN
    doc = _read(path)
    problems = check_table(doc)
    if problems:
        raise TableError(f"诚信考核计分分值表 {path} 有误：" + "；".join(problems))
    items = {
        str(it["key"]).strip(): Item(
            key=str(it["key"]).strip(),
            annex_item=str(it.get("annex_item") or ""),
            behaviour=str(it["behaviour"]).strip(),
            points=int(it["points"]),
            confirmed=bool(it["confirmed"]),
            catalogue=tuple(it.get("catalogue", [])),
        )
        for it in doc["items"]
    }
    full = (doc.get("confirmed") or {}).get("full_points", 20)
    return Table(
        title=str(doc.get("title", "")),
        document=str(doc.get("document", "")),
        path=str(path),
        full_points=int(full),
        items=items,
        by_violation={c: i.key for i in items.values() for c in i.catalogue},
    )


@lru_cache(maxsize=4)
def _cached(path: str) -> Table:
    return load_table(path or None)


def table() -> Table:
    """The table in force: ``ZHIFA_CREDIT_DRIVER_POINTS`` (a bureau's file) or the shipped one."""
    return _cached(os.environ.get("ZHIFA_CREDIT_DRIVER_POINTS", ""))


def item(key: str) -> Item | None:
    return table().items.get(key)


def item_for_violation(code: str) -> Item | None:
    """The 计分项目 of a violation-catalogue code (None when the behaviour is not scored)."""
    key = table().by_violation.get(code or "")
    return table().items.get(key) if key else None

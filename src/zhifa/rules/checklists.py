"""Checklist data files (JSON, format ``zhifa-checklist/1``): the 公平竞争审查 standards and the 案卷评查
scoresheet, versioned like the rule data (``version``, ``valid_from``/``valid_to``, a province override
falling back to the national file) and validated by ``zhifa rules check`` with Chinese errors.

A file has ``kind`` (``fair_competition`` | ``casefile_review``), ``title``, ``source``, ``confidence``,
``province`` ("" national) and ``groups``; each group has ``code``, ``title``, ``article`` and ``items``
(``code``, ``text``, ``article``; for a scoresheet also ``points`` and ``veto``). Item codes are unique in a
file. A scoresheet's non-veto points add up to ``total_points``; a veto item has no points (any failure
makes the file 不合格 with score 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .datafile import CONFIDENCE, DATA_DIR, PROVINCES, CheckResult, DataFileError, _date

FORMAT = "zhifa-checklist/1"
CHECKLIST_DIR = DATA_DIR / "checklists"
KINDS = {"fair_competition": "公平竞争审查标准", "casefile_review": "案卷评查评分表"}


def read(path: str | Path) -> dict[str, Any]:
    import json

    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"文件不存在：{p}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise DataFileError(f"文件 {p.name} 不是有效的 UTF-8 JSON：{e}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataFileError(f"文件 {p.name} 不是清单数据文件（format 应为 “{FORMAT}”）")
    return doc


def check_document(doc: dict[str, Any]) -> CheckResult:
    err: list[str] = []
    kind = doc.get("kind")
    if kind not in KINDS:
        err.append(f"kind 应为 {'、'.join(KINDS)} 之一（{'、'.join(KINDS.values())}），实为“{kind}”")
    for key, label in (("title", "标题"), ("version", "版本"), ("source", "来源")):
        if not str(doc.get(key) or "").strip():
            err.append(f"缺少{label}（{key}）")
    if doc.get("confidence") not in CONFIDENCE:
        err.append(f"可信度（confidence）应为 {'、'.join(sorted(CONFIDENCE))} 之一")
    if str(doc.get("province") or "") not in ("", *PROVINCES):
        err.append(f"省份代码“{doc.get('province')}”无效")
    start, end = doc.get("valid_from"), doc.get("valid_to")
    try:
        d0, d1 = _date(start), _date(end)
        if d0 is None:
            err.append("缺少施行日期（valid_from）")
        elif d1 and d1 < d0:
            err.append("失效日期早于施行日期")
    except ValueError:
        err.append("日期格式应为 YYYY-MM-DD（valid_from / valid_to）")
    groups = doc.get("groups")
    if not isinstance(groups, list) or not groups:
        err.append("缺少分组（groups）")
        groups = []
    seen: set[str] = set()
    items = points = 0
    for gi, g in enumerate(groups, 1):
        where = f"第 {gi} 组"
        if not isinstance(g, dict) or not str(g.get("title") or "").strip():
            err.append(f"{where}缺少标题（title）")
            continue
        where = f"第 {gi} 组“{g['title']}”"
        if not str(g.get("article") or "").strip():
            err.append(f"{where}缺少依据条款（article）")
        its = g.get("items")
        if not isinstance(its, list) or not its:
            err.append(f"{where}没有条目（items）")
            continue
        for ii, it in enumerate(its, 1):
            w = f"{where}第 {ii} 条"
            code = str((it or {}).get("code") or "").strip() if isinstance(it, dict) else ""
            if not code:
                err.append(f"{w}缺少编号（code）")
                continue
            if code in seen:
                err.append(f"{w}编号“{code}”重复")
            seen.add(code)
            if not str(it.get("text") or "").strip():
                err.append(f"{w}（{code}）缺少内容（text）")
            items += 1
            if kind == "casefile_review":
                veto, pts = bool(it.get("veto")), it.get("points")
                if veto and pts not in (None, 0):
                    err.append(f"{w}（{code}）否决项不计分（points 应为空）")
                elif not veto and (not isinstance(pts, int) or isinstance(pts, bool) or pts <= 0):
                    err.append(f"{w}（{code}）分值（points）应为正整数")
                elif not veto:
                    points += pts
    if kind == "casefile_review":
        total = doc.get("total_points")
        if not isinstance(total, int) or total != points:
            err.append(f"总分（total_points）应等于各条目分值之和 {points}，实为“{total}”")
    return CheckResult(errors=err, counts={"groups": len(groups), "items": items, "points": points})


def check_file(path: str | Path) -> CheckResult:
    try:
        return check_document(read(path))
    except DataFileError as e:
        return CheckResult(errors=[str(e)])


@dataclass(frozen=True)
class Checklist:
    kind: str
    title: str
    version: str
    province: str
    source: str
    confidence: str
    groups: list[dict]
    total_points: int = 0

    @property
    def items(self) -> list[dict]:
        return [
            it | {"group": g["title"], "group_article": g.get("article", "")}
            for g in self.groups
            for it in g["items"]
        ]

    @property
    def label(self) -> str:
        return f"{self.title}（{self.version}版）"


def shipped_files() -> list[Path]:
    return sorted(CHECKLIST_DIR.glob("*.json"))


def checklist_for(kind: str, *, on: date, province: str = "") -> Checklist:
    """The checklist of ``kind`` in force on ``on``: the province's own if it has one, else the national."""
    best: dict[str, Any] | None = None
    for path in shipped_files():
        doc = read(path)
        if doc.get("kind") != kind:
            continue
        d0, d1 = _date(doc.get("valid_from")), _date(doc.get("valid_to"))
        if (d0 and on < d0) or (d1 and on > d1):
            continue
        prov = str(doc.get("province") or "")
        if prov not in ("", province):
            continue
        rank = (prov == province and bool(prov), d0 or date.min)
        if best is None or rank > best["_rank"]:
            best = doc | {"_rank": rank}
    if best is None:
        raise DataFileError(f"没有{date.isoformat(on)}施行的{KINDS.get(kind, kind)}数据文件")
    return Checklist(
        kind=kind,
        title=best["title"],
        version=str(best["version"]),
        province=str(best.get("province") or ""),
        source=best["source"],
        confidence=best["confidence"],
        groups=best["groups"],
        total_points=int(best.get("total_points") or 0),
    )

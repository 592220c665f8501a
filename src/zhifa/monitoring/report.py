"""The monthly 通报 (bulletin) as a DOCX, drafted from a run, in the form bureaus publish: the five rates for
the bureau and per enterprise, rankings, change against last month, violations and their handling rate,
enterprises below the thresholds named.

``zhifa.documents`` (numbered official documents) had no ``document_issue`` when this was written, so the
DOCX is generated here with python-docx; it can move behind ``document_issue`` once that exists.
"""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Pt

from .definitions import VIOLATION_TYPES
from .rules import rules_for

RATES = [
    ("入网率", "networked_rate"),
    ("上线率", "online_rate"),
    ("数据合格率", "quality_rate"),
    ("轨迹完整率", "completeness_rate"),
    ("漂移率", "drift_rate"),
]


def _pct(v) -> str:
    return "—" if v is None else f"{v:.2f}%"


def below_threshold(run) -> list[tuple[str, str]]:
    from datetime import date

    r = rules_for(date.fromisoformat(run.month + "-01"))
    out = []
    for e in run.enterprises:
        why = []
        if e["online_rate"] is not None and e["online_rate"] < 100 * r.notice_online_rate_min:
            why.append(f"上线率 {_pct(e['online_rate'])}")
        if e["quality_rate"] is not None and e["quality_rate"] < 100 * r.notice_quality_rate_min:
            why.append(f"数据合格率 {_pct(e['quality_rate'])}")
        if (
            e["completeness_rate"] is not None
            and e["completeness_rate"] < 100 * r.notice_completeness_rate_min
        ):
            why.append(f"轨迹完整率 {_pct(e['completeness_rate'])}")
        if e["drift_rate"] is not None and e["drift_rate"] > 100 * r.notice_drift_rate_max:
            why.append(f"漂移率 {_pct(e['drift_rate'])}")
        if why:
            out.append((e["enterprise"], "、".join(why)))
    return out


def bulletin_context(run, previous, leads_stats: dict) -> dict:
    rates = run.summary.get("rates", {})
    prev = previous.summary.get("rates", {}) if previous else {}
    rows = []
    for label, _ in RATES:
        cur, old = rates.get(label), prev.get(label)
        delta = None if cur is None or old is None else round(cur - old, 2)
        rows.append({"label": label, "value": cur, "previous": old, "delta": delta})
    ranking = sorted(
        run.enterprises, key=lambda e: (-(e["online_rate"] or 0), -(e["quality_rate"] or 0), e["enterprise"])
    )
    return {
        "run": run,
        "rates": rows,
        "ranking": ranking,
        "below": below_threshold(run),
        "violations": [
            (VIOLATION_TYPES.get(k, k), n) for k, n in run.summary.get("violations_by_type", {}).items()
        ],
        "leads": leads_stats,
        "counts": run.summary.get("counts", {}),
    }


def bulletin_docx(ctx: dict) -> bytes:
    run = ctx["run"]
    y, m = run.month.split("-")
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(12)
    doc.add_heading(f"{run.org.name}关于{y}年{int(m)}月道路运输车辆动态监控情况的通报", level=1)
    c = ctx["counts"]
    doc.add_paragraph(
        f"{y}年{int(m)}月，全县应入网重点营运车辆（旅游客车、包车客车、班线客车、危险货物运输车辆）"
        f"{c.get('vehicles_required', 0)}辆，入网{c.get('networked', 0)}辆，上线{c.get('online', 0)}辆，"
        f"共接收定位数据{c.get('records', 0)}条。现将有关情况通报如下："
    )
    doc.add_heading("一、主要指标", level=2)
    t = doc.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for i, h in enumerate(["指标", "本月", "上月", "变化（百分点）"]):
        t.rows[0].cells[i].text = h
    for r in ctx["rates"]:
        cells = t.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = r["label"], _pct(r["value"]), _pct(r["previous"])
        cells[3].text = "—" if r["delta"] is None else f"{r['delta']:+.2f}"
    doc.add_heading("二、企业排名", level=2)
    t = doc.add_table(rows=1, cols=7)
    t.style = "Table Grid"
    for i, h in enumerate(["名次", "企业", "入网率", "上线率", "数据合格率", "轨迹完整率", "漂移率"]):
        t.rows[0].cells[i].text = h
    for n, e in enumerate(ctx["ranking"], start=1):
        cells = t.add_row().cells
        cells[0].text, cells[1].text = str(n), e["enterprise"]
        for i, (_, key) in enumerate(RATES, start=2):
            cells[i].text = _pct(e[key])
    doc.add_heading("三、违规情况及处置", level=2)
    viol = "；".join(f"{name}{n}起" for name, n in ctx["violations"]) or "未发现违规"
    ls = ctx["leads"]
    doc.add_paragraph(
        f"本月监测发现：{viol}。违规线索共{ls['total']}条，已处置{ls['handled']}条，"
        f"处置率{_pct(ls['rate'])}。"
    )
    doc.add_heading("四、指标未达要求的企业", level=2)
    if ctx["below"]:
        for name, why in ctx["below"]:
            doc.add_paragraph(f"{name}：{why}", style="List Bullet")
        doc.add_paragraph("请上述企业落实动态监控主体责任，于下月10日前报送整改情况。")
    else:
        doc.add_paragraph("本月各企业指标均达到要求。")
    doc.add_paragraph(
        "附：指标口径与阈值见平台“动态监控—指标口径”。各项阈值中，未见国家统一规定的，按本地参数执行。"
    )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

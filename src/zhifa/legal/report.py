"""The 案卷评查 通报 as a DOCX the office opens in WPS/Word: scope, the verifiable draw, scores by unit, the
files that failed (veto) or lost points, and the 整改 deadlines."""

from __future__ import annotations

import io
from collections.abc import Callable

from zhifa.rules.checklists import checklist_for

from .models import ReviewCampaign
from .selectors import campaign_files, scores_by_unit


def review_report_docx(c: ReviewCampaign, *, progress: Callable[[int], None] | None = None) -> bytes:
    from docx import Document

    sheet = checklist_for("casefile_review", on=c.sampled_on)
    labels = {it["code"]: it["text"] for it in sheet.items}
    doc = Document()
    doc.add_heading(f"关于{c.title}情况的通报", level=1)
    files = list(campaign_files(c))
    doc.add_paragraph(
        f"{c.org.name}对{c.closed_from:%Y年%m月%d日}至{c.closed_to:%Y年%m月%d日}结案的行政执法案卷开展评查，"
        f"按每单位{c.ratio_bp // 100}%（至少{c.per_unit}件）随机抽取案卷 {len(files)} 份，"
        f"依据《{sheet.label}》评分（满分 {sheet.total_points} 分，否决项任一项不符合即为不合格）。"
    )
    doc.add_paragraph(
        f"抽取方法：可验证随机抽取（zhifa-draw-v1），随机种子 {c.seed_hex}，"
        f"抽取范围摘要 {c.population_digest}，任何人可据此复核抽取结果。"
    )
    doc.add_heading("一、各单位得分", level=2)
    t = doc.add_table(rows=1, cols=5)
    for cell, text in zip(
        t.rows[0].cells, ("被评查单位", "案卷数", "平均分", "不合格", "须整改"), strict=True
    ):
        cell.text = text
    for u in scores_by_unit(c):
        row = t.add_row().cells
        for cell, v in zip(
            row, (u["unit"], u["files"], u["average"], u["failed"], u["rectify"]), strict=True
        ):
            cell.text = str(v)
    doc.add_heading("二、发现的问题及整改要求", level=2)
    for i, f in enumerate(files, 1):
        if f.rectify_due:
            veto = "；".join(labels.get(v, v) for v in f.vetoes)
            doc.add_paragraph(
                f"{f.unit.name} 案卷 {f.case.number}：{f.score} 分"
                + (f"（不合格：{veto}）" if veto else "")
                + f"。问题：{f.findings}。请于 {f.rectify_due:%Y年%m月%d日} 前整改并报送整改情况。"
            )
        if progress:
            progress(i)
    doc.add_paragraph(c.org.name)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

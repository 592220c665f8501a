"""The 案卷 (case file): documents in legal order with a table of contents and page numbers, exported as
one ZIP file.

Why a ZIP: the documents are DOCX files that offices open and print in WPS/Word; merging DOCX into one
document would lose each form's own layout (and its digest, which the documents module keeps). The ZIP
holds ``00-卷内目录.html`` (cover + table of contents with page ranges, printable), the DOCX files named
by their order, a ``全过程记录.csv`` timeline, ``证据清单.csv`` (evidence with SM3/SHA-256 digests) and a
``清单摘要.txt`` with the digest of every file in the archive. Page numbers: each document starts on a
new page and counts the pages its DOCX declares (docProps/app.xml ``Pages``), 1 when it declares none;
cover and table of contents are unnumbered (procedure.md §6 卷面标准).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from html import escape

from zhifa.core.crypto import DIGEST_ALGORITHM, digest_bytes
from zhifa.core.exports import spreadsheet_row

from .models import Case
from .selectors import case_timeline

# 立案 → 调查取证 → 审查 → 告知/听证 → 审核/讨论 → 决定 → 送达 → 执行 → 结案 (procedure.md §6)
LEGAL_ORDER = [
    "立案登记表",
    "询问笔录",
    "勘验笔录",
    "现场笔录",
    "违法行为通知书",
    "听证通知书",
    "听证笔录",
    "法制审核意见书",
    "集体讨论记录",
    "行政处罚决定书",
    "不予行政处罚决定书",
    "送达回证",
    "催告书",
    "结案报告",
]


@dataclass
class Entry:
    order: int
    title: str
    number: str
    date: str
    first_page: int
    last_page: int
    filename: str
    data: bytes | None


def _pages(docx: bytes | None) -> int:
    if not docx:
        return 1
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            m = re.search(rb"<Pages>(\d+)</Pages>", z.read("docProps/app.xml"))
            return max(int(m.group(1)), 1) if m else 1
    except (KeyError, zipfile.BadZipFile):
        return 1


def case_documents(case: Case) -> list[dict]:
    """The case's issued documents (newest version of each), from the documents module."""
    try:
        from zhifa.documents.models import IssuedDocument
        from zhifa.documents.services import document_path
    except ImportError:  # pragma: no cover
        return []
    out = []
    for d in IssuedDocument.objects.filter(target_type="cases.case", target_id=str(case.pk)).order_by("id"):
        try:
            data = document_path(d).read_bytes()
        except OSError:
            data = None
        out.append({"id": d.pk, "title": d.title, "number": d.number, "date": str(d.doc_date), "data": data})
    return out


def case_file_entries(case: Case) -> list[Entry]:
    docs = case_documents(case)
    rank = {t: i for i, t in enumerate(LEGAL_ORDER)}
    docs.sort(key=lambda d: (rank.get(d["title"], len(LEGAL_ORDER)), d["id"]))
    entries, page = [], 1
    for i, d in enumerate(docs, start=1):
        n = _pages(d["data"])
        entries.append(
            Entry(
                i,
                d["title"],
                d["number"] or "",
                d["date"],
                page,
                page + n - 1,
                f"{i:02d}-{d['title']}.docx",
                d["data"],
            )
        )
        page += n
    return entries


def case_file_zip(case: Case, *, actor) -> bytes:
    entries = case_file_entries(case)
    buf = io.BytesIO()
    sums = []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        rows = "".join(
            f"<tr><td>{e.order}</td><td>{escape(e.title)}</td><td>{escape(e.number)}</td><td>{escape(e.date)}</td>"
            f"<td>{e.first_page}{'' if e.first_page == e.last_page else '–' + str(e.last_page)}</td></tr>"
            for e in entries
        )
        toc = (
            f"<!doctype html><meta charset='utf-8'><title>{escape(case.number)} 卷内目录</title>"
            f"<h1>交通运输行政处罚案卷</h1><p>案号：{escape(case.number)}<br>当事人：{escape(case.party_name)}<br>"
            f"案由：{escape(case.violation_name)}<br>承办单位：{escape(str(case.org))}<br>"
            f"立案日期：{case.registered_on or '—'}　结案日期：{case.closed_on or '—'}</p>"
            f"<h2>卷内目录</h2><table border='1' cellspacing='0' cellpadding='4'><tr><th>序号</th><th>文书名称</th>"
            f"<th>文号</th><th>日期</th><th>页码</th></tr>{rows}</table>"
        )
        files = [("00-卷内目录.html", toc.encode("utf-8"))]
        files += [(e.filename, e.data) for e in entries if e.data]
        tl = io.StringIO()
        w = csv.writer(tl)
        w.writerow(["时间", "类型", "环节", "办理人", "办理日期"])
        for item in case_timeline(case):
            w.writerow(spreadsheet_row([item["at"].isoformat(), item["kind"], item["label"], item["actor"],
                                        item["on"] or ""]))
        files.append(("全过程记录.csv", tl.getvalue().encode("utf-8-sig")))
        ev = io.StringIO()
        w = csv.writer(ev)
        w.writerow(["文件名", "办案环节", "大小（字节）", "摘要算法", "摘要", "上传人", "上传时间"])
        try:
            from zhifa.evidence.selectors import evidence_for

            for it in evidence_for("cases.case", case.pk, actor=actor):
                w.writerow(
                    spreadsheet_row([
                        it.filename,
                        it.step,
                        it.size,
                        it.digest_algorithm,
                        it.digest,
                        it.uploaded_by_name,
                        it.uploaded_at.isoformat(),
                    ])
                )
        except ImportError:  # pragma: no cover
            pass
        files.append(("证据清单.csv", ev.getvalue().encode("utf-8-sig")))
        for name, data in files:
            z.writestr(name, data)
            sums.append(f"{digest_bytes(data)}  {name}")
        z.writestr("清单摘要.txt", f"摘要算法：{DIGEST_ALGORITHM}\n" + "\n".join(sums) + "\n")
    return buf.getvalue()

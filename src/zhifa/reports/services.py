"""Writes of the reports: the annual 法治政府建设年度报告 (draft, edit, lint, issue with frozen snapshots) and
its rendering (HTML segments, DOCX, the masked public version)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.core import indicators as registry
from zhifa.core.audit import audit_record

from .errors import ReportError
from .models import PARTS, AnnualReport, ReportState, Snapshot

TOKEN = re.compile(r"【指标[:：]([\w.]+)】")
# a number typed by hand: digits (with thousands separators / decimals), not a year (2026年), a date part
# (3月, 1日), an ordinal (第3) or a document number (〔2019〕28号)
NUMBER = re.compile(
    r"(?<![\w〔第.])(\d[\d,，]*(?:\.\d+)?)(?![\d〕])\s*(%|％|万元|元|宗|件|条|户次|辆次|辆|吨|人次|人|起|次|个|家|项|场|小时|天)?"
)
NOT_A_FIGURE = re.compile(r"^\s*(年|月|日|号|届|季度)")


def period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def deadlines(year: int) -> tuple[date, date]:
    """(submit by, publish by) for the report on ``year``: 1 March to 本级党委和政府 and the department one
    level up, 1 April public (督察工作规定 厅字〔2019〕28号, publication: Art 24; procedure.md §5)."""
    return date(year + 1, 3, 1), date(year + 1, 4, 1)


DEFAULT_BODY = {
    1: (
        "全年立案查处各类交通运输违法案件【指标:cases.registered】，作出行政处罚决定【指标:cases.penalties】，"
        "罚款【指标:cases.fines】。重大执法决定法制审核【指标:cases.legal_reviews】。"
        "非现场执法查处超限车辆【指标:overload.confirmed】，“一超四罚”【指标:overload.sanctions】。"
        "开展“双随机、一公开”抽查【指标:inspections.inspected】，问题发现率【指标:inspections.problem_rate】。"
        "公示双公示信息【指标:disclosure.published】，按期上传率【指标:disclosure.on_time_rate】；"
        "归集信用记录【指标:credit.records】。受理投诉举报【指标:complaints.received】，办结率【指标:complaints.close_rate】。"
        "执法人员持证率【指标:accounts.certified_rate】。"
    ),
    2: "主要负责人认真履行推进法治建设第一责任人职责，（请填写：研究部署、述法、带头学法等情况）。",
    3: "（请填写：存在的不足和原因。）",
    4: "（请填写：下一年度的主要安排。）",
    5: "（请填写：其他需要报告的情况。）",
}


def _check_head(actor) -> None:
    if actor is None or not actor.has_role(Role.HEAD):
        raise ReportError.NOT_HEAD.error()


@transaction.atomic
def report_create(*, actor, org, year: int) -> AnnualReport:
    if not 2000 <= int(year) <= 2100:
        raise ReportError.BAD_YEAR.error(year=year)
    if AnnualReport.objects.filter(org=org, year=year).exists():
        raise ReportError.EXISTS.error(org=org.name, year=year)
    report = AnnualReport.objects.create(
        org=org,
        year=year,
        title=f"{org.name}{year}年法治政府建设年度报告",
        created_by=actor.get_username(),
        sections=[{"part": p, "body": DEFAULT_BODY[p]} for p, _h in PARTS],
    )
    audit_record(action="reports.annual.create", actor=actor, target=report, after={"year": year})
    return report


@transaction.atomic
def report_update(*, actor, report: AnnualReport, bodies: dict[int, str]) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.state == ReportState.ISSUED:
        raise ReportError.ISSUED.error(
            title=report.title, at=timezone.localtime(report.issued_at).strftime("%Y-%m-%d")
        )
    before = report.sections
    report.sections = [{"part": p, "body": (bodies.get(p) or "").strip()[:20000]} for p, _h in PARTS]
    report.save(update_fields=["sections", "updated_at"])
    audit_record(
        action="reports.annual.edit",
        actor=actor,
        target=report,
        before={"sections": before},
        after={"sections": report.sections},
    )
    return report


@dataclass(frozen=True)
class Finding:
    part: int
    severity: str  # "error" (must fix before issue) or "warning"
    text: str


def referenced(report: AnnualReport) -> list[str]:
    """Indicator ids referenced in the text, in order of first appearance."""
    seen: dict[str, None] = {}
    for s in report.sections:
        for m in TOKEN.finditer(s.get("body", "")):
            seen.setdefault(m.group(1), None)
    return list(seen)


def _hand_numbers(body: str):
    """(number, unit, the text before it) of each number typed by hand outside references."""
    plain = TOKEN.sub(lambda m: "〈指标〉", body)
    for m in NUMBER.finditer(plain):
        if NOT_A_FIGURE.match(plain[m.end(1) :]) and not m.group(2):
            continue
        yield m.group(1), m.group(2) or "", plain[max(0, m.start() - 16) : m.start()]


def _num(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", ""))
    except ValueError:
        return None


def lint(report: AnnualReport, values: dict[str, object] | None = None) -> list[Finding]:
    """The lint pass: references to indicators that do not exist (error); numbers typed by hand (warning:
    every figure should be a reference, so it can be traced); a hand-typed number next to an indicator's
    name that disagrees with that indicator's value used elsewhere in the report (error); a hand-typed
    number without a unit (warning). ``values``: indicator id → the value the report prints."""
    out: list[Finding] = []
    values = values or {}
    for s in report.sections:
        part, body = s["part"], s.get("body", "")
        for m in TOKEN.finditer(body):
            if not registry.exists(m.group(1)):
                out.append(Finding(part, "error", f"引用了不存在的指标“{m.group(1)}”"))
        for number, unit, before in _hand_numbers(body):
            out.append(
                Finding(part, "warning", f"数字“{number}{unit}”为手工录入，无法追溯到记录，请改为指标引用")
            )
            if not unit:
                out.append(Finding(part, "warning", f"数字“{number}”缺少计量单位"))
            for ident, value in values.items():
                ind = registry.get(ident)
                if (
                    ind.name in before
                    and unit == ind.unit
                    and value is not None
                    and _num(number) != float(value)
                ):
                    out.append(
                        Finding(
                            part,
                            "error",
                            f"“{ind.name}”手工写作 {number}{unit}，与报告引用的指标值 {value}{ind.unit} 不一致",
                        )
                    )
    return out


def live_values(report: AnnualReport, actor) -> dict[str, object]:
    start, end = period(report.year)
    out: dict[str, object] = {}
    for ident in referenced(report):
        if registry.exists(ident):
            out[ident] = registry.get(ident).total(actor, start=start, end=end).value
    return out


@transaction.atomic
def report_issue(*, actor, report: AnnualReport) -> AnnualReport:
    """签发: refused with lint errors; freezes a snapshot (value, records counted, digest) of every referenced
    indicator, and records the approver. Later edits of records do not change the issued report."""
    _check_head(actor)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.state == ReportState.ISSUED:
        raise ReportError.ISSUED.error(
            title=report.title, at=timezone.localtime(report.issued_at).strftime("%Y-%m-%d")
        )
    errors = [f for f in lint(report, live_values(report, actor)) if f.severity == "error"]
    if errors:
        raise ReportError.LINT_ERRORS.error(n=len(errors), first=f"第{errors[0].part}部分：{errors[0].text}")
    start, end = period(report.year)
    for ident in referenced(report):
        ind = registry.get(ident)
        snap = registry.snapshot(ind, actor, start=start, end=end)
        Snapshot.objects.create(
            report=report,
            indicator_id=ident,
            name=ind.name,
            unit=ind.unit,
            value=snap.value,
            numerator=snap.numerator,
            denominator=snap.denominator,
            record_ids=snap.record_ids,
            digest=snap.digest,
            source=ind.source,
        )
    report.state, report.approved_by, report.issued_at = ReportState.ISSUED, str(actor), timezone.now()
    report.save(update_fields=["state", "approved_by", "issued_at", "updated_at"])
    audit_record(
        action="reports.annual.issue",
        actor=actor,
        target=report,
        after={"snapshots": len(referenced(report))},
    )
    return report


@transaction.atomic
def report_mark(
    *, actor, report: AnnualReport, submitted_on: date | None, published_on: date | None, publish_url: str
) -> AnnualReport:
    """Record when the report was sent (1 March) and published (1 April), and where."""
    _check_head(actor)
    report.submitted_on, report.published_on, report.publish_url = (
        submitted_on,
        published_on,
        publish_url[:300],
    )
    report.save(update_fields=["submitted_on", "published_on", "publish_url", "updated_at"])
    audit_record(
        action="reports.annual.mark",
        actor=actor,
        target=report,
        after={"submitted_on": str(submitted_on or ""), "published_on": str(published_on or "")},
    )
    return report


# --- rendering ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A number in the text: the indicator, the value printed (the snapshot once issued), the live value, and
    whether the live value has moved since issue."""

    ident: str
    name: str
    unit: str
    value: object
    live: object
    changed: bool
    source: str


def fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else f"{value}"


def refs(report: AnnualReport, actor) -> dict[str, Ref]:
    start, end = period(report.year)
    snaps = {s.indicator_id: s for s in report.snapshots.all()} if report.state == ReportState.ISSUED else {}
    out = {}
    for ident in referenced(report):
        if not registry.exists(ident):
            continue
        ind = registry.get(ident)
        if ident in snaps:
            s = snaps[ident]
            live = registry.snapshot(ind, actor, start=start, end=end)
            out[ident] = Ref(ident, s.name, s.unit, s.value, live.value, live.digest != s.digest, s.source)
        else:
            v = ind.total(actor, start=start, end=end).value
            out[ident] = Ref(ident, ind.name, ind.unit, v, v, False, ind.source)
    return out


def segments(body: str, rs: dict[str, Ref]) -> list[tuple[str, Ref | None]]:
    """The text cut into plain runs and references: [(text, None) | (printed value, Ref)]."""
    out: list[tuple[str, Ref | None]] = []
    pos = 0
    for m in TOKEN.finditer(body):
        out.append((body[pos : m.start()], None))
        r = rs.get(m.group(1))
        out.append((f"{fmt(r.value)}{r.unit}", r) if r else (f"〔未知指标 {m.group(1)}〕", None))
        pos = m.end()
    out.append((body[pos:], None))
    return [(t, r) for t, r in out if t]


def masked(text: str) -> str:
    """The public version's figures: every digit of a value replaced by ``*`` (as seed S4 publishes)."""
    return re.sub(r"[\d.,]", "*", text)


def report_docx(report: AnnualReport, actor, *, mask: bool = False) -> bytes:
    from docx import Document
    from docx.shared import Pt

    rs = refs(report, actor)
    doc = Document()
    doc.styles["Normal"].font.name = "仿宋"
    doc.styles["Normal"].font.size = Pt(14)
    doc.add_heading(report.title, level=1)
    headings = dict(PARTS)
    for s in report.sections:
        doc.add_heading(headings[s["part"]], level=2)
        for para in (s.get("body") or "").split("\n"):
            if not para.strip():
                continue
            p = doc.add_paragraph()
            for text, ref in segments(para, rs):
                p.add_run(masked(text) if (mask and ref) else text).bold = bool(ref) and not mask
    if report.state == ReportState.ISSUED:
        doc.add_paragraph(
            f"签发人：{report.approved_by}　签发日期：{timezone.localtime(report.issued_at):%Y年%m月%d日}"
        )
    if not mask:
        doc.add_heading("附：数据口径", level=2)
        for r in rs.values():
            ind = registry.get(r.ident)
            doc.add_paragraph(f"{r.name}（{r.unit}，{ind.source_label}）：{ind.formula}", style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

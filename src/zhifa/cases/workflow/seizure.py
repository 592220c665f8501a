"""先行登记保存 and 查封/扣押: keeping evidence and property during a case, with the law's clocks.

- 先行登记保存 (处罚法 Art 56): evidence that may be lost or later hard to obtain is registered and kept with
  the approval of the head (负责人); a decision on it is due within 7 days — working days, 处罚法 Art 85 (the
  rules parameter ``preservation_decision_period``). Past that day only the release (解除) may still be
  recorded, marked late, so that the 案卷评查 finds it; no confiscation, transfer, testing or seizure.
- 查封/扣押 (行政强制法 Arts 18, 22–28): only where a law or regulation gives the power (its article is
  recorded), with the head's approval, two officers (Art 18), the decision and the list handed over (Art 24);
  30 days (Art 25 para 1, calendar days: Art 69 makes only periods of ten days or less working days),
  extendable once by at most 30 days with the head's approval and written reasons (Art 25 paras 1–2);
  the days of 检测、检验、检疫、技术鉴定 are not counted (Art 25 para 3); released on an Art 28 ground with
  the property returned.

The period of a 查封/扣押 limits the bureau's power over the party's property, so its last day is not moved
to the next working day when it falls on a holiday (unlike a period within which the party must act).

Items are entered one per line as ``名称，数量，存放地点`` (the 清单 of Art 24 and the 证据登记保存清单).
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import clocks as ck
from ..enums import (
    PRESERVATION_KEEPING,
    ClockKind,
    PreservationDisposition,
    SeizureKind,
    SeizureRelease,
)
from ..errors import CaseError
from ..models import Case, CasePreservation, CaseSeizure
from .base import HEAD, _d, _req, check_officers


def parse_items(text: str) -> list[dict]:
    """``名称，数量，存放地点`` per line (Chinese or ASCII commas) → ``[{name, quantity, place}]``."""
    out = []
    for line in str(text or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").replace("、", ",").split(",")]
        if not parts or not parts[0]:
            continue
        out.append(
            {
                "name": parts[0],
                "quantity": parts[1] if len(parts) > 1 else "",
                "place": "，".join(parts[2:]) if len(parts) > 2 else "",
            }
        )
    return out


def _approver(data: dict, actor, error) -> str:
    """The head who approved: the actor when a head records it, else the name entered."""
    if actor.has_role(HEAD):
        return str(data.get("approved_by") or "").strip() or str(actor)
    name = str(data.get("approved_by") or "").strip()
    if not name:
        raise error.error(detail="请填写批准的执法部门负责人", fields={"approved_by": "必填"})
    return name


def _calendar_due(start: date, days: int) -> date:
    return start + timedelta(days=days)


# --- 先行登记保存 -----------------------------------------------------------------------------------


def check_preservation(case, data, actor, on):
    """先行登记保存 names the items and why they may be lost, with the head's approval (处罚法 Art 56)."""
    if not parse_items(data.get("items")):
        raise CaseError.PRESERVATION.error(detail="证据清单不能为空", fields={"items": "必填"})
    if not str(data.get("reason") or "").strip():
        raise CaseError.PRESERVATION.error(
            detail="请写明证据可能灭失或者以后难以取得的情形", fields={"reason": "必填"}
        )
    _approver(data, actor, CaseError.PRESERVATION)


def record_preservation(case, data, actor, on, after):
    """Registers the items; the 7-day decision clock runs from the day of the preservation."""
    dl = ck.deadline("preservation_decision_period", on)
    items = parse_items(data.get("items"))
    approver = _approver(data, actor, CaseError.PRESERVATION)

    def write():
        row = CasePreservation.objects.create(
            case=case,
            org=case.org,
            items=items,
            reason=str(data["reason"]).strip(),
            approved_by=approver,
            started_on=on,
            due=dl.due,
        )
        data["preservation_id"] = row.pk
        sync_preservation_clock(case, on)

    after.append(write)


def sync_preservation_clock(case: Case, on: date) -> None:
    """The case's preservation clock follows the earliest undecided preservation (met when none is open)."""
    first = case.preservations.filter(decided_on__isnull=True).order_by("due", "id").first()
    if first is None:
        ck.clock_meet(case, ClockKind.PRESERVATION, on)
        return
    dl = ck.deadline("preservation_decision_period", first.started_on)
    ck.clock_set(case, ClockKind.PRESERVATION, dl, first.started_on)


def _open_preservation(case, data) -> CasePreservation:
    qs = case.preservations.filter(decided_on__isnull=True)
    pid = data.get("preservation_id")
    row = (
        qs.filter(pk=int(pid)).first()
        if str(pid or "").strip().isdigit()
        else qs.order_by("due", "id").first()
    )
    if row is None:
        raise CaseError.PRESERVATION.error(
            detail="没有待处理的先行登记保存", fields={"preservation_id": "无效"}
        )
    return row


def check_preservation_in_time(case, data, actor, on):
    """A decision that keeps the items (检测、没收、移送、查封扣押) only within the 7 days (处罚法 Art 56)."""
    row = _open_preservation(case, data)
    if (data.get("disposition") or "") not in PRESERVATION_KEEPING:
        raise CaseError.INVALID.error(detail="请选择处理决定", fields={"disposition": "必填"})
    if on > row.due:
        raise CaseError.PRESERVATION_LATE.error(due=f"{row.due:%Y-%m-%d}")


def record_preservation_decision(case, data, actor, on, after):
    """Records the decision on the preserved items; the clock moves to the next open preservation."""
    row = _open_preservation(case, data)
    _close_preservation(case, row, data["disposition"], str(data.get("note") or ""), on, data, after)


def check_preservation_release(case, data, actor, on):
    """解除先行登记保存: any time (a late release is recorded as such), with what was done with the items."""
    _open_preservation(case, data)
    _req(data, "note", "解除及退还情况")


def record_preservation_release(case, data, actor, on, after):
    """Releases the preserved items; a release after the 7 days stays visible as late (decided_late)."""
    row = _open_preservation(case, data)
    _close_preservation(case, row, PreservationDisposition.RELEASE, str(data["note"]), on, data, after)


def _close_preservation(case, row, disposition, note, on, data, after):
    data["preservation_id"] = row.pk

    def write():
        CasePreservation.objects.filter(pk=row.pk).update(
            decided_on=on, disposition=disposition, disposition_note=note
        )
        sync_preservation_clock(case, on)

    after.append(write)


# --- 查封/扣押 --------------------------------------------------------------------------------------


def seizure_due(row: CaseSeizure) -> ck.Deadline:
    """30 days from the decision (Art 25 para 1), plus the approved extension, plus the testing days."""
    p = ck.param("seizure_period", on=row.started_on)
    due = _calendar_due(row.started_on, p.value)
    lines = [f"{ck.explain(p)}；自 {row.started_on:%Y-%m-%d} 起算，届满日 {due:%Y-%m-%d}（不因节假日顺延）。"]
    if row.extension_days:
        due = due + timedelta(days=row.extension_days)
        lines.append(
            f"经负责人批准延长 {row.extension_days} 日（《中华人民共和国行政强制法》第二十五条），"
            f"届满日 {due:%Y-%m-%d}。"
        )
    if row.test_days:
        due = due + timedelta(days=row.test_days)
        lines.append(
            f"检测、检验、检疫或者技术鉴定期间 {row.test_from:%Y-%m-%d} 至 {row.test_to:%Y-%m-%d} 共 {row.test_days} 日"
            f"不计入（第二十五条第三款），届满日 {due:%Y-%m-%d}。"
        )
    return ck.Deadline(due, "days", p.article, lines)


def sync_seizure_clock(case: Case, on: date) -> None:
    """The case's seizure clock follows the open 查封/扣押 that ends first."""
    rows = list(case.seizures.filter(released_on__isnull=True))
    if not rows:
        ck.clock_meet(case, ClockKind.SEIZURE, on)
        return
    first = min(rows, key=lambda r: (r.due, r.pk))
    ck.clock_set(case, ClockKind.SEIZURE, seizure_due(first), first.started_on)


def check_seizure(case, data, actor, on):
    """查封/扣押 on a power granted by law or regulation, approved, by two officers, with its list
    (行政强制法 Arts 18, 22, 24)."""
    if (data.get("kind") or "") not in SeizureKind.values:
        raise CaseError.SEIZURE.error(detail="请选择查封或扣押", fields={"kind": "必填"})
    if not str(data.get("legal_basis") or "").strip():
        raise CaseError.SEIZURE.error(detail="请填写授权实施的法律、法规条款", fields={"legal_basis": "必填"})
    if not str(data.get("reason") or "").strip():
        raise CaseError.SEIZURE.error(detail="请写明查封、扣押的理由", fields={"reason": "必填"})
    if not parse_items(data.get("items")):
        raise CaseError.SEIZURE.error(detail="查封、扣押清单不能为空", fields={"items": "必填"})
    _approver(data, actor, CaseError.SEIZURE)
    check_officers(case, on)  # Art 18 item (二): two officers or more


def record_seizure(case, data, actor, on, after):
    """Records the 查封/扣押 and starts its 30-day clock."""
    p = ck.param("seizure_period", on=on)
    items = parse_items(data.get("items"))
    approver = _approver(data, actor, CaseError.SEIZURE)

    def write():
        row = CaseSeizure.objects.create(
            case=case,
            org=case.org,
            kind=data["kind"],
            legal_basis=str(data["legal_basis"]).strip(),
            reason=str(data["reason"]).strip(),
            items=items,
            approved_by=approver,
            started_on=on,
            due=_calendar_due(on, p.value),
        )
        data["seizure_id"] = row.pk
        sync_seizure_clock(case, on)

    after.append(write)


def _open_seizure(case, data) -> CaseSeizure:
    qs = case.seizures.filter(released_on__isnull=True)
    sid = data.get("seizure_id")
    row = (
        qs.filter(pk=int(sid)).first()
        if str(sid or "").strip().isdigit()
        else qs.order_by("due", "id").first()
    )
    if row is None:
        raise CaseError.SEIZURE_RELEASE.error(detail="没有未解除的查封、扣押", fields={"seizure_id": "无效"})
    return row


def check_seizure_extension(case, data, actor, on):
    """Extended once, by 30 days at most, before it ends, with written reasons (行政强制法 Art 25)."""
    row = _open_seizure(case, data)
    limit = ck.param("seizure_extension_max", on=row.started_on).value
    if row.extended_on:
        raise CaseError.SEIZURE_EXTENSION.error(
            detail=f"已于 {row.extended_on:%Y-%m-%d} 延长过一次，不得再次延长"
        )
    try:
        days = int(data.get("days") or limit)
    except (TypeError, ValueError):
        raise CaseError.INVALID.error(detail="延长天数应为整数", fields={"days": "应为整数"}) from None
    if not 0 < days <= limit:
        raise CaseError.SEIZURE_EXTENSION.error(
            detail=f"延长 {days} 日超过 {limit} 日", fields={"days": "超过上限"}
        )
    if on > seizure_due(row).due:
        raise CaseError.SEIZURE_EXTENSION.error(
            detail=f"期限已于 {seizure_due(row).due:%Y-%m-%d} 届满，应当解除"
        )
    if not str(data.get("reason") or "").strip():
        raise CaseError.SEIZURE_EXTENSION.error(
            detail="请写明情况复杂需要延长的理由", fields={"reason": "必填"}
        )


def record_seizure_extension(case, data, actor, on, after):
    """Records the extension approved by the head; the clock moves to the new last day."""
    row = _open_seizure(case, data)
    limit = ck.param("seizure_extension_max", on=row.started_on).value
    days = int(data.get("days") or limit)
    data["seizure_id"], data["days"] = row.pk, days

    def write():
        row.extended_on, row.extension_days, row.extension_reason = on, days, str(data["reason"]).strip()
        row.due = seizure_due(row).due
        row.save(update_fields=["extended_on", "extension_days", "extension_reason", "due"])
        sync_seizure_clock(case, on)

    after.append(write)


def check_seizure_testing(case, data, actor, on):
    """The testing period is stated with its dates and left out of the 30 days (行政强制法 Art 25 para 3)."""
    row = _open_seizure(case, data)
    start, end = _d(data, "test_from"), _d(data, "test_to")
    if not start or not end or end < start:
        raise CaseError.INVALID.error(detail="请填写检测、检验期间的起止日期", fields={"test_to": "无效"})
    if start < row.started_on or start > seizure_due(row).due:
        raise CaseError.SEIZURE_EXTENSION.error(detail="检测、检验期间应在查封、扣押期间内开始")
    if row.test_from:
        raise CaseError.INVALID.error(detail="已登记检测、检验期间")


def record_seizure_testing(case, data, actor, on, after):
    """Records the testing period; the seizure's last day moves by its days."""
    row = _open_seizure(case, data)
    data["seizure_id"] = row.pk

    def write():
        row.test_from, row.test_to = _d(data, "test_from"), _d(data, "test_to")
        row.due = seizure_due(row).due
        row.save(update_fields=["test_from", "test_to", "due"])
        sync_seizure_clock(case, on)

    after.append(write)


def check_seizure_release(case, data, actor, on):
    """解除 on one of the grounds of 行政强制法 Art 28, with the property returned."""
    _open_seizure(case, data)
    if (data.get("ground") or "") not in SeizureRelease.values:
        raise CaseError.SEIZURE_RELEASE.error(detail="请选择解除情形", fields={"ground": "必填"})
    if not str(data.get("returned") or "").strip():
        raise CaseError.SEIZURE_RELEASE.error(detail="请写明退还财物的情况", fields={"returned": "必填"})


def record_seizure_release(case, data, actor, on, after):
    """Releases the 查封/扣押; its clock is met (or moves to the next open one)."""
    row = _open_seizure(case, data)
    data["seizure_id"] = row.pk

    def write():
        CaseSeizure.objects.filter(pk=row.pk).update(
            released_on=on, release_ground=data["ground"], returned=str(data["returned"]).strip()
        )
        sync_seizure_clock(case, on)

    after.append(write)


# --- documents ------------------------------------------------------------------------------------


def measures_context(case: Case, data: dict) -> dict:
    """``preservation.*`` and ``seizure.*`` of the documents of these steps (the row the step acted on)."""
    out: dict = {}
    pid, sid = data.get("preservation_id"), data.get("seizure_id")
    row = case.preservations.filter(pk=pid).first() if pid else None
    if row is not None:
        out["preservation"] = {
            "items": row.items,
            "reason": row.reason,
            "approved_by": row.approved_by,
            "started_on": f"{row.started_on:%Y年%m月%d日}",
            "due": f"{row.due:%Y年%m月%d日}",
            "disposition": row.get_disposition_display() if row.disposition else "",
            "note": row.disposition_note,
        }
    srow = case.seizures.filter(pk=sid).first() if sid else None
    if srow is not None:
        end = seizure_due(srow).due
        out["seizure"] = {
            "kind": srow.get_kind_display(),
            "legal_basis": srow.legal_basis,
            "reason": srow.reason,
            "items": srow.items,
            "started_on": f"{srow.started_on:%Y年%m月%d日}",
            "period": f"{srow.started_on:%Y年%m月%d日}至{end:%Y年%m月%d日}",
            "due": f"{end:%Y年%m月%d日}",
            "extension_days": str(srow.extension_days or ""),
            "extension_reason": srow.extension_reason,
            "release_ground": srow.get_release_ground_display() if srow.release_ground else "",
            "returned": srow.returned,
        }
    return out

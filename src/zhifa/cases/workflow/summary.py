"""简易程序 record: what happened on the spot when a 当场处罚 was made, and 当场收缴 with its hand-in.

Articles (text checked): 处罚法 Art 52 (officers show their certificates, fill in the pre-numbered decision
and hand it over; the party may state its case); 交通运输行政执法程序规定 Art 61 (2021 text, secondary copy):
(一) show the 执法证件, (三) tell the facts, reasons and basis orally, (四) tell the rights and duties orally,
(五) hear and re-check the 陈述申辩, (七) the party signs the decision or the refusal is noted on it.
当场收缴: 处罚法 Art 68 (under Art 51: a fine of 100 yuan or less, or collection later would be hard),
Art 69 (remote, water-borne or poorly connected areas, on the party's request), Art 70 (the 财政部门
统一制发的专用票据, without it the party may refuse to pay), Art 71 (hand in to the agency within 2 days of
collection, on water within 2 days of landing; Art 85: 二日 are working days).
"""

from __future__ import annotations

from datetime import date

from .. import clocks as ck
from ..enums import CaseState, ClockKind, CollectionGround, PaymentChannel, PenaltyType, RecordSignature
from ..errors import CaseError
from ..models import Case, CasePayment
from .base import _d

_TRUE = ("1", "true", "on", "yes", True)
STATEMENT_MADE, STATEMENT_WAIVED = "made", "waived"


def _yes(v) -> bool:
    return v is True or str(v).lower() in _TRUE


def summary_record_clean(record: dict | None, *, penalty_type: str, fine_fen: int | None, on: date) -> dict:
    """Validates the on-the-spot record of a 当场处罚 and returns it as stored on the case."""
    r = dict(record or {})
    if not _yes(r.get("certificates_shown")):
        raise CaseError.SUMMARY_RECORD.error(
            detail="未记录执法人员向当事人出示执法证件（第五十二条；第六十一条第（一）项）"
        )
    if not _yes(r.get("oral_notice")):
        raise CaseError.SUMMARY_RECORD.error(
            detail="未记录口头告知违法事实、处罚理由和依据及当事人的权利（第六十一条第（三）项、第（四）项）"
        )
    statement = str(r.get("statement") or "")
    content = str(r.get("statement_content") or "").strip()
    if statement not in (STATEMENT_MADE, STATEMENT_WAIVED):
        raise CaseError.SUMMARY_RECORD.error(
            detail="未记录听取当事人陈述申辩或其放弃（第六十一条第（五）项）"
        )
    if statement == STATEMENT_MADE and not content:
        raise CaseError.SUMMARY_RECORD.error(
            detail="请填写当事人陈述申辩的内容及复核情况（第六十一条第（五）项）"
        )
    signature = str(r.get("party_signature") or "")
    note = str(r.get("refusal_note") or "").strip()
    if signature not in RecordSignature.values:
        raise CaseError.SUMMARY_RECORD.error(
            detail="未记录当事人签收决定书或拒绝签收（第六十一条第（七）项）"
        )
    if signature == RecordSignature.REFUSED and not note:
        raise CaseError.SUMMARY_RECORD.error(
            detail="当事人拒绝签收的，请填写在决定书上注明的情况（第六十一条第（七）项）"
        )
    out = {
        "certificates_shown": True,
        "oral_notice": True,
        "statement": statement,
        "statement_content": content,
        "party_signature": signature,
        "refusal_note": note,
    }
    if _yes(r.get("collected")):
        out["collection"] = _collection_clean(r, penalty_type=penalty_type, fine_fen=fine_fen, on=on)
    return out


def _collection_clean(r: dict, *, penalty_type: str, fine_fen: int | None, on: date) -> dict:
    """当场收缴 of the whole fine: the ground of Art 68/69, the 票据 number (Art 70), on water the landing day."""
    if penalty_type != PenaltyType.FINE or not fine_fen:
        raise CaseError.ONSITE_COLLECTION.error(detail="当场收缴仅适用于罚款")
    ground = str(r.get("collection_ground") or "")
    limit = ck.param("onsite_collection_max", on=on).value  # 100 yuan, Art 68(一)
    if not ground:
        ground = CollectionGround.SMALL if fine_fen <= limit else ""
    if ground not in CollectionGround.values:
        raise CaseError.ONSITE_COLLECTION.error(
            detail=f"罚款{fine_fen / 100:.2f}元超过{limit / 100:.0f}元，须记录不当场收缴事后难以执行"
            "或边远、水上、交通不便地区当事人提出的情形"
        )
    if ground == CollectionGround.SMALL and fine_fen > limit:
        raise CaseError.ONSITE_COLLECTION.error(detail=f"罚款{fine_fen / 100:.2f}元超过{limit / 100:.0f}元")
    receipt = str(r.get("receipt_no") or "").strip()
    if not receipt:
        raise CaseError.ONSITE_RECEIPT.error()
    on_water = _yes(r.get("on_water"))
    landed = _d(r, "landed_on")
    if landed is not None and landed < on:
        raise CaseError.ONSITE_HANDIN.error(detail="抵岸日不得早于收缴日")
    return {
        "amount_fen": int(fine_fen),
        "ground": ground,
        "receipt_no": receipt,
        "on_water": on_water,
        "landed_on": landed.isoformat() if landed else "",
        "collected_on": on.isoformat(),
    }


def handin_start(collection: dict) -> date | None:
    """The day the hand-in period starts: collection, or on water the landing (None until landed)."""
    if collection.get("on_water"):
        return date.fromisoformat(collection["landed_on"]) if collection.get("landed_on") else None
    return date.fromisoformat(collection["collected_on"])


def summary_collection_start(case: Case, on: date) -> None:
    """After a 当场处罚 with 当场收缴: the fine is paid on the spot (the case is performed) and the hand-in
    clock starts (Art 71: 2 working days). Called by ``services.case_summary_create``."""
    collection = case.summary_record.get("collection")
    if not collection:
        return
    case.paid_on = on
    case.paid_fen = collection["amount_fen"]
    case.state = CaseState.PERFORMED
    case.save(update_fields=["paid_on", "paid_fen", "state"])
    # the payment record the ledger reads (one record per payment, whatever the channel: Art 70 票据)
    CasePayment.objects.create(
        case=case,
        paid_on=on,
        amount_fen=collection["amount_fen"],
        fine_part_fen=collection["amount_fen"],
        instalment_nos=[1],
        receipt_no=collection.get("receipt_no", ""),
        channel=PaymentChannel.ON_THE_SPOT,
        recorded_by=case.created_by,
    )
    ck.clock_meet(case, ClockKind.PAYMENT, on)
    start = handin_start(collection)
    if start is not None:
        ck.clock_set(case, ClockKind.ONSITE_HANDIN, ck.deadline("onsite_handin_period", start), start)


def check_onsite_handin(case, data, actor, on):
    """交款 of a 当场收缴: there was one, not handed in yet, the day given and not before the collection (on
    water, the landing day is given)."""
    collection = case.summary_record.get("collection")
    if not collection:
        raise CaseError.ONSITE_HANDIN.error(detail="本案没有当场收缴罚款")
    if case.collection_handed_in_on:
        raise CaseError.ONSITE_HANDIN.error(
            detail=f"已于 {case.collection_handed_in_on:%Y-%m-%d} 交至行政机关"
        )
    handed = _d(data, "handed_in_on")
    if handed is None:
        raise CaseError.INVALID.error(detail="请填写交款日期", fields={"handed_in_on": "必填"})
    if handed < date.fromisoformat(collection["collected_on"]):
        raise CaseError.ONSITE_HANDIN.error(detail="交款日不得早于收缴日")
    if collection.get("on_water") and not (collection.get("landed_on") or data.get("landed_on")):
        raise CaseError.ONSITE_HANDIN.error(detail="水上收缴的，请填写抵岸日期")


def record_onsite_handin(case, data, actor, on, after):
    """Records the hand-in day (and the landing day on water); the clock is met, late if after its due day."""
    handed = _d(data, "handed_in_on")
    collection = dict(case.summary_record["collection"])
    if collection.get("on_water") and not collection.get("landed_on"):
        landed = _d(data, "landed_on")
        collection["landed_on"] = landed.isoformat()
        dl = ck.deadline("onsite_handin_period", landed)
        after.append(lambda: ck.clock_set(case, ClockKind.ONSITE_HANDIN, dl, landed))
    case.summary_record = {**case.summary_record, "collection": collection}
    case.collection_handed_in_on = handed
    after.append(lambda: ck.clock_meet(case, ClockKind.ONSITE_HANDIN, handed))

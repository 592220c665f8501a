"""A stand-in decision and complete penalty data items for the disclosure tests."""

from __future__ import annotations

import random
from datetime import date

from tests.factories import fake_uscc
from zhifa.disclosure.services import _emit_now

USCC = fake_uscc(random.Random(7))


class Src:
    """Any model-like object works as a source (the case module passes Case)."""

    class _meta:  # noqa: N801
        label_lower = "tests.decision"

    def __init__(self, org, pk=1, fine=100):
        self.org, self.pk, self.fine_fen = org, pk, fine

    def __str__(self):
        return f"决定{self.pk}"


def items(**over) -> dict:
    base = {
        "subject_name": "郁南县通达物流有限公司",
        "subject_kind": "法人及非法人组织",
        "subject_code": USCC,
        "legal_rep": "陈大文",
        "doc_no": "郁交罚〔2026〕12号",
        "violation_type": "违法超限运输",
        "facts": "车辆粤W12345于G324国道超限运输",
        "basis": "《公路安全保护条例》第六十四条",
        "penalty_category": "罚款",
        "penalty_content": "罚款人民币3000元",
        "fine_wan": "0.300000",
        "agency": "郁南县交通运输局",
        "source_unit": "郁南县交通运输局",
        "plate": "粤W12345",
        "severity": "general",
        "violation_code": "ZC-001",
    }
    base.update(over)
    return base


def emit(org, actor, *, pk=1, decided_on=date(2026, 4, 10), on=None, **over):
    return _emit_now(
        kind="penalty",
        source=Src(org, pk=pk),
        decided_on=decided_on,
        actor=actor,
        items=items(**over),
        on=on or decided_on,
    )

"""Fixtures for case tests: two certified officers of 第一中队 (one is ``officer_user``), a qualified
legal reviewer, and helpers that walk a case through the ordinary procedure via the services."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

import pytest

from tests.factories import fake_idcard
from zhifa.accounts import services as acc
from zhifa.accounts.models import Officer
from zhifa.cases.services import case_create, reviewer_qualification_set
from zhifa.cases.workflow import case_transition

D0 = date(2026, 3, 2)  # a Monday
# What a 当场处罚 records on the spot (处罚法 Art 52; 程序规定 Art 61): certificates shown, oral 告知, the party
# heard, the decision signed for.
ON_THE_SPOT = {
    "certificates_shown": True,
    "oral_notice": True,
    "statement": "made",
    "statement_content": "当事人称忘带证件，复核后不成立",
    "party_signature": "signed",
}


@dataclass
class Kit:
    tree: object
    officer_user: object
    head: object
    reviewer: object
    o1: Officer
    o2: Officer
    o3: Officer


def make_officer(org, name, rng, *, user=None, valid_to=date(2030, 12, 31), number=None):
    o = acc.officer_create(org=org, name=name, idcard=fake_idcard(rng), user=user, actor=None)
    acc.certificate_add(
        officer=o,
        number=number or f"44{rng.randint(10**9, 10**10 - 1)}",
        issuing_authority="广东省人民政府",
        field="comprehensive",
        valid_from=date(2020, 1, 1),
        valid_to=valid_to,
        actor=None,
    )
    return o


@pytest.fixture
def kit(tree, officer_user, head_user, reviewer_user) -> Kit:
    rng = random.Random(7)
    o1 = make_officer(tree.squad_a1, "张执法", rng, user=officer_user)
    o2 = make_officer(tree.squad_a1, "李执法", rng)
    o3 = make_officer(tree.squad_a1, "王过期", rng, valid_to=date(2026, 1, 31))
    reviewer_qualification_set(
        user=reviewer_user, certificate_no="A20184401000123", obtained_on=date(2018, 12, 1), actor=None
    )
    return Kit(tree, officer_user, head_user, reviewer_user, o1, o2, o3)


TEST_CODE = "TEST-001"


def catalogue_violation(code: str = TEST_CODE):
    """A catalogued violation for walking cases through the workflow (issue 14: no 告知, decision or service
    without one): 《道路运输条例》第三十四条 / 第六十八条 with a wide legal range (up to 200,000 yuan) and
    tiers spanning it, so that the procedure tests are not also discretion tests. The rules with real
    numbers are tested on the shipped catalogue (tests/cases/test_violation_basis.py)."""
    from zhifa.rules.models import LegalBasis, Violation, ViolationVersion

    existing = ViolationVersion.objects.filter(violation__code=code).first()
    if existing is not None:
        return existing
    start = date(2000, 1, 1)
    art34, _ = LegalBasis.objects.get_or_create(
        key="TEST-RTR-34", defaults={"law": "《道路运输条例》", "article": 34, "summary": "测试", "effective_from": start}
    )
    art68, _ = LegalBasis.objects.get_or_create(
        key="TEST-RTR-68", defaults={"law": "《道路运输条例》", "article": 68, "summary": "测试", "effective_from": start}
    )
    top = 20_000_000
    v = ViolationVersion.objects.create(
        violation=Violation.objects.create(code=code),
        effective_from=start,
        name="未按规定携带道路运输证",
        category="道路运输",
        penalty_kind="up_to",
        min_fen=0,
        max_fen=top,
        tiers=[{"tier": t, "min_fen": 0, "max_fen": top, "conditions": "测试"} for t in
               ("mitigated", "lighter", "general", "heavier")],
        tier_source="测试",
        digest="test",
    )
    v.violated.add(art34)
    v.penalised.add(art68)
    return v


def new_case(kit: Kit, *, party_kind="org", occurred_on=D0, on=D0, **kw):
    if "violation_code" not in kw:
        kw["violation_code"] = catalogue_violation().code
    elif kw["violation_code"] == "":
        kw.pop("violation_code")
    return case_create(
        org=kit.tree.squad_a1,
        party_kind=party_kind,
        party_name=kw.pop("party_name", "郁南县某运输有限公司"),
        violation_name=kw.pop("violation_name", "未按规定携带道路运输证"),
        violated_article="《道路运输条例》第三十四条",
        penalty_article="《道路运输条例》第六十八条",
        facts=kw.pop("facts", "2026年3月1日，粤W12345号货车在S276线未随车携带道路运输证。"),
        occurred_on=occurred_on,
        discovered_on=on,
        actor=kit.officer_user,
        created_on=on,
        **kw,
    )


def step(kit: Kit, case, action, who=None, on=D0, **data):
    who = who or {"head": kit.head, "reviewer": kit.reviewer}.get(data.pop("as_", ""), kit.officer_user)
    return case_transition(case=case, action=action, actor=who, data=data, on=on)


def to_state(kit: Kit, target: str, *, fine_fen=100000, party_kind="org", on=D0, **propose):
    """Walk an ordinary case to ``target``; returns the case."""
    c = new_case(kit, party_kind=party_kind, on=on)
    c = step(kit, c, "register", kit.head, on=on)
    if target == "investigating":
        return c
    c = step(kit, c, "assign_officers", on=on, officer_ids=[kit.o1.pk, kit.o2.pk])
    c = step(kit, c, "record", on=on, kind="询问笔录", content="问：车辆是否随车携带道路运输证？答：没有。", signature="signed")
    c = step(kit, c, "end_investigation", on=on, report="事实清楚，证据确凿。")
    if target == "investigated":
        return c
    data = {
        "outcome": "penalty",
        "penalty_type": "fine",
        "proposed_fine_fen": fine_fen,
        "tier": "general",
        "tier_reasons": "初次违法，情节一般",
        **propose,
    }
    c = step(kit, c, "propose", kit.head, on=on, **data)
    if target == "proposed":
        return c
    c = step(kit, c, "notify", on=on)
    return c

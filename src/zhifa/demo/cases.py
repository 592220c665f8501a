"""Demo cases: a few hundred cases in every state, spread over the demo year, written through the case
services (the same guards, clocks, documents and audit records as real work). Called by the demo loader
after the county is loaded: ``load_demo_cases(seed=…, today=…, scale=…)``."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Officer, User
from zhifa.accounts.selectors import jurisdiction_of, officer_can_enforce
from zhifa.cases.models import Case
from zhifa.cases.services import (
    case_create,
    case_source_create,
    case_summary_create,
    reviewer_qualification_set,
)
from zhifa.cases.workflow import case_transition, ledger
from zhifa.core.calendar import add_workdays
from zhifa.core.errors import DomainError
from zhifa.demo.case_states import load_case_states
from zhifa.registry.enums import LicenceStatus
from zhifa.registry.models import Enterprise, Licence

# Violations from the 执法事项库 (issue 14: a case is notified, decided and served only on a catalogued basis);
# the fine is drawn inside the catalogue's 一般 tier, so the demo decisions keep the legal range and benchmark.
VIOLATIONS = ["DY-014", "DY-001", "GL-003", "DY-011", "WY-002"]
# 当场处罚 within 处罚法 Art 51 (≤200 元 a citizen, ≤3000 元 an organisation) and the legal range
SUMMARY_VIOLATIONS = {"citizen": ("DY-004", [20000]), "org": ("DY-014", [100000, 200000, 300000])}
# a hearing case: a fine at the 较大数额 threshold (org 10万元, person 5000元) inside the legal range
HEARING_VIOLATIONS = {"org": ("DY-002", "heavier", 10_000_000), "citizen": ("DY-001", "general", 510_000)}
#: targets at or past the decision
_DECIDED = ("decided", "served", "executing", "performed", "closed", "archived")
# target state -> weight
TARGETS = [
    ("summary", 20),
    ("filing", 4),
    ("investigating", 8),
    ("investigated", 4),
    ("proposed", 4),
    ("notified", 8),
    ("hearing", 3),
    ("reviewed", 4),
    ("decided", 6),
    ("served", 8),
    ("executing", 4),
    ("performed", 8),
    ("no_penalty", 5),
    ("transferred", 2),
    ("revoked", 2),
    ("closed", 25),
    ("archived", 12),
]


def load_demo_cases(*, seed: int, today: date, scale: float = 1.0) -> int:
    """Create ``round(300 * scale)`` cases (at least 30); returns how many were written."""
    rng = random.Random(seed * 7919 + 3)
    head = User.objects.filter(roles__role=Role.HEAD).order_by("id").first()
    reviewer = User.objects.filter(roles__role=Role.LEGAL_REVIEWER).order_by("id").first()
    officer_user = User.objects.filter(roles__role=Role.OFFICER, officer__isnull=False).order_by("id").first()
    if not (head and reviewer and officer_user):
        return 0
    from zhifa.rules.models import ViolationVersion
    from zhifa.rules.services import load_starter_catalogue

    if not ViolationVersion.objects.exists():  # the cases stand on the catalogue (idempotent load)
        load_starter_catalogue()
    reviewer_qualification_set(
        user=reviewer, certificate_no="A20184453000001", obtained_on=date(2018, 12, 1), actor=None
    )
    org = officer_user.org
    officers = [
        o
        for o in Officer.objects.filter(org__path__startswith=org.path).prefetch_related("certificates")
        if officer_can_enforce(o, on=today - timedelta(days=365)).ok and officer_can_enforce(o, on=today).ok
    ]
    if len(officers) < 2:
        officers = [
            o
            for o in Officer.objects.filter(
                org__path__startswith=org.parent.path if org.parent else org.path
            ).prefetch_related("certificates")
            if officer_can_enforce(o, on=today).ok
        ]
    ents = list(Enterprise.objects.order_by("id")[:400])
    # valid licences held by those enterprises in the county: a few decisions 暂扣 or 吊销 one (Art 9(三))
    licences = dict(
        Licence.objects.filter(
            enterprise__in=ents, status=LicenceStatus.VALID, org__path__startswith=jurisdiction_of(org).path
        )
        .order_by("-id")
        .values_list("enterprise_id", "number")
    )
    n = max(30, round(300 * scale))
    names, weights = zip(*TARGETS, strict=True)
    written = 0
    dates = random.Random(seed * 7919 + 5)  # apart from ``rng``: the cases drawn stay those of earlier demos
    for i in range(n):
        target = rng.choices(names, weights)[0]
        start = _start(dates, target, today - timedelta(days=rng.randint(5, 360)), today)
        while not add_workdays(start - timedelta(days=1), 1).date == start:
            start += timedelta(days=1)
        if start > today:
            continue
        try:
            _one(rng, i, target, start, today, head, reviewer, officer_user, org, officers, ents, licences)
            written += 1
        except DomainError:
            continue  # a randomly drawn path the law refuses (e.g. a date past a limit) is simply skipped
    # one case in each procedural state of issue 14 (听证, 公告送达, payments, 催告, court, 当场收缴, measures, 复议/诉讼)
    written += load_case_states(
        seed=seed, today=today, head=head, reviewer=reviewer, officer_user=officer_user, org=org, officers=officers
    )
    # a few pending leads for the source list and deadline board
    for j in range(max(5, round(15 * scale))):
        case_source_create(
            origin=rng.choice(["inspection", "complaint", "overload", "monitoring"]),
            org=org,
            facts=f"演示线索 {j + 1}：路面检查发现车辆涉嫌违法",
            external_ref=f"DEMO-{seed}-{j}",
            actor=None,
        )
    # leads a person brought in (来电 / 来访 / 来信), the 反映人 encrypted and shown masked
    hand = [
        ("phone", "来电反映：一辆无营运证的小型客车每天早上在县汽车站门口招揽乘客往返广州。", "县汽车站门口", "梁先生", "13902761548"),
        ("walk_in", "来访反映：某货运公司的车辆长期在国道324线连滩段超载行驶，夜间尤多。", "国道324线连滩段", "何女士", "13760419327"),
        ("letter", "来信反映：县城某驾驶员培训机构未按教学大纲培训即安排学员考试。", "县城新城区", "", ""),
    ]
    for j, (origin, facts, place, name, phone) in enumerate(hand):
        case_source_create(
            origin=origin, org=org, facts=facts, location=place, reporter_name=name, reporter_phone=phone,
            subject=ents[j] if ents and origin == "walk_in" else None, external_ref=f"DEMO-{seed}-hand-{j}",
            actor=None,
        )
    return written


# States a case rests in while a legal clock runs (陈述申辩, 作出决定, 送达, 缴款, 当场处罚备案). A county's cases
# in these states were mostly opened in the last days or weeks; spread over the whole year like the
# finished ones, their clocks had run out months ago and the head's 首页 listed some sixty overdue
# deadlines. Now and then one is left behind (LEFT_BEHIND): the few overdue items a demo should show.
IN_FLIGHT = ("summary", "filing", "investigating", "investigated", "proposed", "notified", "hearing", "reviewed",
             "decided", "served")
LEFT_BEHIND = 0.06
#: a summary case not yet filed (备案) is one of the last days
SUMMARY_UNFILED_DAYS = 4


def _start(dates: random.Random, target: str, drawn: date, today: date) -> date:
    """The day a case starts: ``drawn`` (anywhere in the year) for a finished case or one left behind,
    recent for one in flight; an 执行 case past its 缴款 deadline by a few days (催告 sent, not yet due)."""
    if target == "executing":
        return today - timedelta(days=dates.randint(28, 34))
    if target == "summary":  # most are filed, paid and closed on the spot: the year's spread
        return today - timedelta(days=dates.randint(1, SUMMARY_UNFILED_DAYS)) if dates.random() < 0.2 else drawn
    if target in IN_FLIGHT and dates.random() >= LEFT_BEHIND:
        return today - timedelta(days=dates.randint(2, 12))
    return drawn


def _one(rng, i, target, start, today, head, reviewer, officer_user, org, officers, ents, licences):
    from zhifa.rules.discretion import discretion_range
    from zhifa.rules.selectors import violation_get

    code = rng.choice(VIOLATIONS)
    two = rng.sample(officers, 2)
    ent = rng.choice(ents) if ents and rng.random() < 0.7 else None
    party = (
        {"party_kind": "org", "party_name": ent.name, "party_code": ent.uscc, "party_address": ent.address}
        if ent
        else {"party_kind": "citizen", "party_name": rng.choice(["陈某", "黄某", "李某", "梁某", "林某"])}
    )
    tier = "general"
    if target == "hearing":
        code, tier, _ = HEARING_VIOLATIONS[party["party_kind"]]
    if target == "summary":
        code, fines = SUMMARY_VIOLATIONS[party["party_kind"]]
        fine = rng.choice(fines)
    name = violation_get(code, on=start - timedelta(days=1)).name
    if target == "summary":
        c = case_summary_create(
            org=org,
            violation_name=name,
            violation_code=code,
            facts=f"{start:%Y年%m月%d日}，当事人{name}（演示）。",
            penalty_type="fine",
            fine_fen=fine,
            officer_ids=[o.pk for o in two],
            actor=officer_user,
            on=start,
            summary_record={
                "certificates_shown": True,
                "oral_notice": True,
                "statement": "waived",
                "party_signature": "signed",
            },
            **party,
        )
        # filed the same day, unless it is one of the last days' (备案 is due within days: older ones
        # left unfiled were overdue on the demo's 首页)
        if rng.random() < 0.8 or start < today - timedelta(days=SUMMARY_UNFILED_DAYS):
            case_transition(case=c, action="summary_file", actor=officer_user, on=start)
            c.refresh_from_db()
            paid = {"paid_fen": c.fine_fen, "receipt_no": f"票据 {c.pk:06d}", "channel": "on_the_spot"}
            case_transition(case=c, action="pay", actor=officer_user, data=paid, on=min(start + timedelta(days=3), today))
            c.refresh_from_db()
            case_transition(case=c, action="close", actor=head, on=min(start + timedelta(days=4), today))
        return
    # a decided case of an enterprise holding a licence: now and then the decision 暂扣 or 吊销 it
    licence_no = licences.get(ent.pk) if ent and target in _DECIDED and rng.random() < 0.15 else None
    c = case_create(
        subjects={"enterprise": ent} if licence_no else None,
        org=org,
        violation_name=name,
        violation_code=code,
        facts=f"{start:%Y年%m月%d日}，经查当事人{name}（演示案件 {i + 1}）。",
        occurred_on=start - timedelta(days=1),
        discovered_on=start,
        actor=officer_user,
        created_on=start,
        **party,
    )
    if target == "filing":
        return

    d = [start]

    def act(action, who=officer_user, gap=1, **data):
        nonlocal c
        d[0] = min(d[0] + timedelta(days=gap), today)
        if action == "pay":  # the whole balance on the day (fine and any 加处罚款), against a bank receipt
            data = {"paid_fen": ledger(c, d[0]).balance_fen, "receipt_no": f"缴款书 {c.pk:06d}", "channel": "bank"}
        c = case_transition(case=c, action=action, actor=who, data=data, on=d[0])

    act("register", head, gap=0)
    act("assign_officers", officer_ids=[o.pk for o in two], gap=0)
    if target == "revoked":
        return act("revoke_filing", head, reason="经调查违法事实不能成立")
    act("record", kind=rng.choice(["询问笔录", "现场笔录"]), content="问：请说明情况。答：属实。", signature="signed")
    if target == "investigating":
        return
    act("end_investigation", report="违法事实清楚，证据确凿。", gap=rng.randint(2, 10))
    if target == "investigated":
        return
    if target == "no_penalty":
        return act(
            "decide_no_penalty",
            head,
            ground="首次违法、危害后果轻微并及时改正（首违不罚）",
            education_record="对当事人开展法规教育，当事人签署守法承诺书",
        )
    if target == "transferred":
        return act("propose", head, outcome="transfer", transfer_to="郁南县公安局")
    lo, hi, _ = discretion_range(code, tier, on=start - timedelta(days=1))
    fine = rng.randrange(lo, hi + 1, 10000)
    if target == "hearing":
        fine = max(fine, HEARING_VIOLATIONS[party["party_kind"]][2])
    if licence_no:
        suspend = rng.random() < 0.6
        act(
            "propose",
            head,
            outcome="penalty",
            penalty_type="revoke",
            licence_act="suspend" if suspend else "revoke",
            licence_number=licence_no,
            licence_suspend_months=str(rng.choice([1, 3, 6])) if suspend else "",
            tier="general",
            tier_reasons="违法情节严重，依法暂扣或吊销许可证件",
        )
        licences.pop(ent.pk)  # one decision per licence
    else:
        act(
            "propose",
            head,
            outcome="penalty",
            penalty_type="fine",
            proposed_fine_fen=fine,
            tier=tier,
            tier_reasons="违法情节一般，适用一般裁量阶次" if tier == "general" else "违法情节较重，适用从重裁量阶次",
        )
    if target == "proposed":
        return
    act("notify")
    if target == "notified":
        return
    if target == "hearing" and c.hearing_right:
        act("hearing_request", gap=2)
        return
    act("statement", content="当事人放弃陈述申辩和听证", waive_hearing="true")
    if c.review_required:
        act("submit_review")
        act("review", reviewer, opinion="事实清楚、证据确凿、适用法律正确、程序合法", passed="true")
    if target == "reviewed":
        return
    act("decide", head, gap=1)
    if target == "decided":
        return
    act("serve", method="direct", proof=f"送达回证 {i + 1}")
    if target == "served":
        return
    if licence_no:  # no fine to pay: the served decision and its licence move are the performance
        if target in ("closed", "archived"):
            act("close", head)
        if target == "archived":
            act("archive")
        return
    if target == "executing":
        d[0] = min(c.payment_due + timedelta(days=2), today)
        if d[0] > c.payment_due:
            act("remind", gap=0)
        return
    act("pay", gap=rng.randint(1, 10))
    if target == "performed":
        return
    act("close", head)
    if target == "archived":
        act("archive")


_ = Case

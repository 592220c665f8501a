"""The steps the demo's procedural cases share (:mod:`zhifa.demo.case_states`): working-day arithmetic
counted back from the demo's ``today``, a registered party with its vehicle and the facts of its violation,
and an ordinary case opened, notified, reviewed, decided and served through ``case_create`` and
``case_transition`` (the same guards, clocks, documents and audit records as real work)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from zhifa.cases.services import case_create
from zhifa.cases.workflow import case_transition
from zhifa.core.calendar import add_workdays, is_workday

DAY = timedelta(days=1)


class Late(Exception):
    """A step the plan would put after the demo's ``today``: the scenario is skipped."""


def wd(d: date) -> date:
    """The first working day on or after ``d``."""
    while not is_workday(d):
        d += DAY
    return d


def plus(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (``d`` not counted)."""
    return add_workdays(d, n).date


def minus(d: date, n: int) -> date:
    """The working day ``n`` working days before ``d``."""
    while n > 0:
        d -= DAY
        if is_workday(d):
            n -= 1
    return d


def last_wd(d: date) -> date:
    """The last working day on or before ``d``."""
    while not is_workday(d):
        d -= DAY
    return d


TRUCKS, COACHES = ("truck", "heavy_truck", "tractor"), ("coach", "charter")
# facts per violation: {d} the day of the act, {plate} the vehicle, {kind} its type, {name} the party
FACTS = {
    "DY-001": "{d:%Y年%m月%d日}，当事人{name}驾驶{plate}号{kind}，在未取得道路运输经营许可的情况下，为他人运输建材"
    "至郁南县都城镇，收取运费650元。",
    "DY-002": "{d:%Y年%m月%d日}，当事人使用{plate}号{kind}，在未取得道路客运班线经营许可的情况下，于郁南县连滩镇"
    "至云浮市区之间招揽旅客、按人收费，经营线路客运。",
    "DY-004": "{d:%Y年%m月%d日}，{name}驾驶{plate}号{kind}从事道路货物运输，未能出示道路运输从业资格证，经查询"
    "未取得从业资格。",
    "DY-014": "{d:%Y年%m月%d日}，当事人所属{plate}号{kind}的驾驶员在都城汽车站出站口拉扯旅客、阻挡去路，强行招揽"
    "旅客上车。",
    "DY-015": "{d:%Y年%m月%d日}，当事人所属{plate}号{kind}运输砂石未采取覆盖措施，造成砂石沿S276线扬撒约200米。",
    "DY-016": "{d:%Y年%m月%d日}，执法人员检查发现当事人所属{plate}号{kind}未按规定进行二级维护和综合性能检测，"
    "已超过规定期限。",
    "DY-017": "{d:%Y年%m月%d日}，执法人员在S276线检查发现当事人所属{plate}号{kind}擅自加高货厢栏板，与车辆营运证"
    "登记的技术参数不符。",
}
PLACES = ["S276线都城段", "G324线南江口段", "S352线连滩段", "都城汽车站", "河口镇治超点"]


@dataclass
class Ctx:
    rng: random.Random
    today: date
    head: object
    reviewer: object
    officer_user: object
    org: object
    officers: list
    trucks: list  # enterprise vehicles by kind
    coaches: list
    private: list  # vehicles without an enterprise
    persons: list

    def act(self, c, action, on, who=None, **data):
        if on > self.today:  # the demo never acts after its own today
            raise Late(f"{action} on {on:%Y-%m-%d}")
        return case_transition(case=c, action=action, actor=who or self.officer_user, data=data, on=on)

    def two_officers(self, on: date) -> list[int]:
        """Two officers whose certificates are valid on ``on`` (处罚法 Art 42), the case's start."""
        from zhifa.accounts.selectors import officer_can_enforce

        valid = [o for o in self.officers if officer_can_enforce(o, on=on).ok]
        return (
            [o.pk for o in self.rng.sample(valid, 2)]
            if len(valid) >= 2
            else [o.pk for o in self.officers[:2]]
        )


def _fine(code: str, tier: str, on: date, rng: random.Random, step: int = 10000) -> int:
    """A fine inside the catalogue's tier (and so inside the legal range), in whole hundreds of yuan."""
    from zhifa.rules.discretion import discretion_range

    lo, hi, _ = discretion_range(code, tier, on=on)
    return rng.randrange(lo, hi + 1, step) if hi > lo else lo


def _party(ctx: Ctx, code: str, kind: str) -> tuple[dict, dict]:
    """The party (a registered enterprise with one of its vehicles, or a registered person with a private
    vehicle) and the words of its facts."""
    pool = ctx.coaches if code in ("DY-002", "DY-014") else ctx.trucks
    if kind == "org" and pool:
        v = ctx.rng.choice(pool)
        e = v.enterprise
        party = {"party_kind": "org", "party_name": e.name, "party_address": e.address,
                 "subjects": {"enterprise": e, "vehicle": v}}  # fmt: skip
        return party, {"plate": v.plate, "kind": v.get_vehicle_type_display(), "name": e.name}
    v = ctx.rng.choice(ctx.private) if ctx.private else None
    p = ctx.rng.choice(ctx.persons) if ctx.persons else None
    name = p.name if p else ctx.rng.choice(["陈某", "黄某", "梁某"])
    party = {"party_kind": "citizen", "party_name": name, "subjects": {"person": p, "vehicle": v}}
    words = {
        "plate": v.plate if v else "无号牌",
        "kind": v.get_vehicle_type_display() if v else "货车",
        "name": name,
    }
    return party, words


def opened(ctx: Ctx, start: date, code: str, kind: str = "org"):
    """立案登记 on ``start`` (the act the day before), approved, two officers assigned, a 笔录 taken."""
    from zhifa.rules.selectors import violation_get

    name = violation_get(code, on=start - DAY).name
    party, words = _party(ctx, code, kind)
    c = case_create(
        org=ctx.org,
        violation_name=name,
        violation_code=code,
        facts=FACTS[code].format(d=start - DAY, **words),
        location=ctx.rng.choice(PLACES),
        occurred_on=start - DAY,
        discovered_on=start,
        actor=ctx.officer_user,
        created_on=start,
        **party,
    )
    c = ctx.act(c, "register", start, ctx.head)
    c = ctx.act(c, "assign_officers", start, officer_ids=ctx.two_officers(start))
    content = "问：请如实陈述当日情况。答：情况属实，我对违法事实没有异议。"
    return ctx.act(c, "record", start, kind="询问笔录", content=content, signature="signed")


def notified(ctx: Ctx, c, on: date, fine: int, tier: str = "general"):
    """调查终结, the head's 处理意见 (a fine in the tier) and the 违法行为通知书, all on ``on``."""
    c = ctx.act(c, "end_investigation", on, report="违法事实清楚，证据确凿，建议依法给予行政处罚。")
    reasons = {"general": "违法情节一般，适用一般裁量阶次", "heavier": "违法情节较重，适用从重裁量阶次"}[tier]
    c = ctx.act(
        c, "propose", on, ctx.head,
        outcome="penalty", penalty_type="fine", proposed_fine_fen=fine, tier=tier, tier_reasons=reasons,
    )  # fmt: skip
    return ctx.act(c, "notify", on)


def reviewed(ctx: Ctx, c, on: date):
    """法制审核 (and 集体讨论) where the case needs them (处罚法 Arts 57, 58)."""
    if c.review_required:
        c = ctx.act(c, "submit_review", on)
        c = ctx.act(
            c, "review", on, ctx.reviewer, opinion="事实清楚、证据确凿、适用法律正确、程序合法", passed="true"
        )
    if c.discussion_required:
        c = ctx.act(
            c, "discuss", on, ctx.head, attendees="局长，副局长，执法大队大队长",
            minutes="听取承办人汇报，逐项讨论事实、证据和裁量", conclusion="同意按拟处罚意见作出决定",
        )  # fmt: skip
    return c


def decided(ctx: Ctx, decide_on: date, code: str, kind: str = "org", tier: str = "general"):
    """An ordinary case opened four working days before ``decide_on`` and decided on it with a fine in the
    tier (the party waives its statement the day after the notice)."""
    start = minus(decide_on, 4)
    c = opened(ctx, start, code, kind)
    c = notified(ctx, c, plus(start, 2), _fine(code, tier, start - DAY, ctx.rng), tier)
    c = ctx.act(c, "statement", plus(start, 3), content="当事人表示放弃陈述申辩和听证", waive_hearing="true")
    c = reviewed(ctx, c, plus(start, 3))
    return ctx.act(c, "decide", decide_on, ctx.head)


def served(ctx: Ctx, serve_on: date, code: str, kind: str = "org"):
    """Decided the working day before ``serve_on`` and served directly on it."""
    c = decided(ctx, minus(serve_on, 1), code, kind)
    return ctx.act(
        c, "serve", serve_on, method="direct", proof=f"送达回证 {c.pk:05d}", place="当事人经营场所"
    )


def pay(ctx: Ctx, c, on: date, fen: int):
    receipt = f"非税缴款书 44{c.pk:06d}{c.payments.count() + 1:02d}"
    return ctx.act(c, "pay", on, paid_fen=fen, receipt_no=receipt, channel="bank")

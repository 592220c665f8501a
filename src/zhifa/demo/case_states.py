"""Demo cases in the procedural states of issue 14 ("the demo holds cases in each of these states"):

1. 听证 requested, the party absent without good reason (处罚法 Art 64(六)), then the decision;
2. 听证 held, 听证笔录 signed, 听证报告, then the decision (Art 65);
3. 公告送达 with its 30-day period (民事诉讼法 Art 95) still running, and one past;
4. a partial payment with a balance outstanding;
5. 分期缴纳 approved (处罚法 Art 66) with one instalment paid;
6. 催告 after the payment deadline passed unpaid (行政强制法 Art 54);
7. the court application (Art 55) filed, and one accepted and ruled on (Arts 56, 57);
8. a 简易程序 case with 当场收缴 and its 票据 number (处罚法 Arts 68-71);
9. 先行登记保存 released within its 7 days (Art 56), and a 扣押 in force (行政强制法 Art 25);
10. a 复议 with its 答复 clock running (复议法 Art 48), one upheld (维持), and a lawsuit ending in 撤销.

Each runs through the case services with dates counted back from ``today`` over the working-day calendar,
in its own savepoint: a scenario the law refuses on some ``today`` is skipped and leaves nothing.
"""

from __future__ import annotations

import logging
import random
from datetime import date, timedelta

from django.db import transaction

from zhifa.cases import clocks as ck
from zhifa.cases.services import case_summary_create
from zhifa.core.errors import DomainError
from zhifa.registry.models import Person, Vehicle

from .case_steps import (
    COACHES,
    DAY,
    FACTS,
    TRUCKS,
    Ctx,
    Late,
    _fine,
    decided,
    last_wd,
    minus,
    notified,
    opened,
    pay,
    plus,
    reviewed,
    served,
    wd,
)

log = logging.getLogger(__name__)
COURT = "郁南县人民法院"
# the materials of 行政强制法 Art 55 (一)–(四), all present
MATERIALS = {"m_application": "true", "m_decision": "true", "m_opinion": "true", "m_subject": "true"}
# a hearing case: a fine at the 较大数额 threshold (广东: organisation 10万元, citizen 5000元), inside the tier
HEARING = {"org": ("DY-002", "heavier", 10_000_000), "citizen": ("DY-001", "general", 510_000)}


def _days(n: int) -> timedelta:
    return timedelta(days=n)


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


# --- 1, 2: 听证 ------------------------------------------------------------------------------------------


def _hearing_scheduled(ctx: Ctx, start: date, kind: str):
    """A case with the hearing right (a fine at the 较大数额), the hearing asked for the day after the notice
    and noticed the day after that, the hearing on the first day Art 64(二) allows plus one."""
    code, tier, floor = HEARING[kind]
    c = opened(ctx, start, code, kind)
    n = plus(start, 2)
    c = notified(ctx, c, n, max(_fine(code, tier, start - DAY, ctx.rng), floor), tier)
    c = ctx.act(c, "hearing_request", plus(n, 1))
    noticed = plus(n, 2)
    hearing_on = plus(noticed, ck.param("hearing_notice_before", on=noticed).value + 1)
    inv = {co.officer.name for co in c.case_officers.select_related("officer")}
    staff = [o.name for o in ctx.officers if o.name not in inv][:2]
    chair, clerk = (staff + [x for x in ("邓法制", "谢文书") if x not in inv])[:2]
    c = ctx.act(
        c, "hearing_notice", noticed, hearing_on=hearing_on.isoformat(), place="郁南县交通运输局三楼会议室",
        chair=chair, clerk=clerk, announcement="本局公告栏及郁南县人民政府门户网站",
    )  # fmt: skip
    return c, hearing_on


def hearing_absent(ctx: Ctx) -> None:
    c, on = _hearing_scheduled(ctx, wd(ctx.today - _days(100)), "citizen")
    note = f"听证通知书已依法送达，当事人于{on:%Y年%m月%d日}9时未到场，经电话联系拒不出席，亦未说明理由"
    c = ctx.act(c, "hearing_absent", on, how="absent", no_good_reason="true", note=note)
    c = reviewed(ctx, c, plus(on, 1))
    c = ctx.act(c, "decide", plus(on, 2), ctx.head)
    mailed = plus(on, 3)  # by EMS; served on the day the return slip shows (民事诉讼法 Art 91)
    slip = plus(mailed, 2).isoformat()
    c = ctx.act(c, "serve", plus(mailed, 3), method="mail", proof=f"EMS 11{c.pk:09d}", act_on=slip)
    pay(ctx, c, c.served_on + _days(12), c.fine_fen)


def hearing_held(ctx: Ctx) -> None:
    c, on = _hearing_scheduled(ctx, wd(ctx.today - _days(75)), "org")
    c = ctx.act(
        c,
        "hearing_agent",
        minus(on, 2),
        name="何某某",
        authorization="授权委托书（特别授权），广东某律师事务所律师",
    )
    record = (
        "调查人员陈述违法事实、证据、处罚依据和拟处罚意见；当事人的委托代理人对证据进行质证，辩称车辆系临时"
        "帮忙接送亲友，未收取费用，请求从轻处罚；调查人员出示乘客询问笔录和收款截图予以反驳。"
    )
    c = ctx.act(c, "hearing_hold", on, record=record, signature="signed")
    c = ctx.act(
        c, "hearing_report", plus(on, 1), summary="听证公开举行，当事人委托代理人到场陈述、申辩和质证",
        opinion="违法事实清楚，证据确凿，当事人申辩理由不成立，建议维持拟作出的处罚",
    )  # fmt: skip
    c = reviewed(ctx, c, plus(on, 2))
    c = ctx.act(c, "decide", plus(on, 3), ctx.head)
    s = plus(on, 4)
    c = ctx.act(c, "serve", s, method="direct", proof=f"送达回证 {c.pk:05d}", place="当事人经营场所")
    pay(ctx, c, s + _days(10), c.fine_fen)


# --- 3: 公告送达 -----------------------------------------------------------------------------------------


def _published(ctx: Ctx, on: date):
    c = decided(ctx, minus(on, 3), "DY-016")
    failed = (
        f"直接送达时当事人经营场所已关闭，电话无法接通；邮寄送达被退回（EMS 11{c.pk:09d}），"
        "经查下落不明，无法以其他方式送达"
    )
    medium = "郁南县人民政府门户网站及本局公告栏"
    return ctx.act(c, "serve", on, method="public_notice", medium=medium, failed_reason=failed)


def notice_running(ctx: Ctx) -> None:
    _published(ctx, wd(ctx.today - _days(12)))  # deemed served 30 days later: after today


def notice_passed(ctx: Ctx) -> None:
    c = _published(ctx, wd(ctx.today - _days(75)))
    pay(ctx, c, c.served_on + _days(6), c.fine_fen)


# --- 4, 5, 6: money --------------------------------------------------------------------------------------


def partial_payment(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(8)), "DY-017")
    part = c.fine_fen * 2 // 5 // 10000 * 10000
    pay(ctx, c, min(ctx.today, c.served_on + _days(5)), part)


def instalments(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(45)), "DY-017")
    s = c.served_on
    a = c.fine_fen // 3 // 10000 * 10000
    rows = [(s + _days(20), a), (s + _days(50), a), (s + _days(80), c.fine_fen - 2 * a)]
    schedule = "\n".join(f"{d.isoformat()} {_yuan(f)}" for d, f in rows)
    reason = "受市场行情影响，企业运费收入大幅下降，资金周转困难，确有经济困难"
    c = ctx.act(c, "instalment_apply", plus(s, 2), kind="split", reason=reason, schedule=schedule)
    c = ctx.act(
        c, "instalment", plus(s, 3), ctx.head, approved="true", opinion="经审查情况属实，同意分三期缴纳"
    )
    pay(ctx, c, rows[0][0] - DAY, rows[0][1])


def reminded(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(40)), "DY-015")
    ctx.act(c, "remind", last_wd(ctx.today - _days(7)))


# --- 7: 申请法院强制执行 ----------------------------------------------------------------------------------


def _court_ready(ctx: Ctx, apply_by: date, code: str):
    """A case served so that the court may first be asked (after the 6-month litigation period, 行政强制法
    Art 53) on or just before ``apply_by``; reminded a month after its payment deadline. Returns (case, day)."""
    s = wd(apply_by - _days(190))
    while (a := wd(ck.deadline("litigation_period", s).due + DAY)) > apply_by:
        s = minus(s, 1)
    c = served(ctx, s, code)
    c = ctx.act(c, "remind", wd(c.payment_due + _days(30)))
    return c, a


def court_applied(ctx: Ctx) -> None:
    c, a = _court_ready(ctx, last_wd(ctx.today - DAY), "DY-016")
    ctx.act(c, "apply_court", a, ctx.head, court=COURT, **MATERIALS)


def court_ruled(ctx: Ctx) -> None:
    c, a = _court_ready(ctx, wd(ctx.today - _days(40)), "DY-015")
    c = ctx.act(
        c, "reminder_statement", plus(c.reminded_on, 3), content="企业经营困难，请求暂缓执行", adopted=""
    )
    c = ctx.act(c, "apply_court", a, ctx.head, court=COURT, **MATERIALS)
    no = f"（{a.year}）粤5322行审{c.pk}号"
    c = ctx.act(c, "court_accept", plus(a, 3), accepted="true", court_case_no=no)
    ctx.act(c, "court_ruling", plus(a, 8), granted="true", ruling_no=no)


# --- 8: 当场收缴 -----------------------------------------------------------------------------------------


def onsite_collection(ctx: Ctx) -> None:
    from zhifa.rules.selectors import violation_get

    on = last_wd(ctx.today - _days(2))
    v = ctx.rng.choice(ctx.trucks) if ctx.trucks else None
    p = ctx.rng.choice(ctx.persons) if ctx.persons else None
    name = p.name if p else "梁某"
    words = {
        "plate": v.plate if v else "无号牌",
        "kind": v.get_vehicle_type_display() if v else "货车",
        "name": name,
    }
    record = {
        "certificates_shown": True, "oral_notice": True, "statement": "made",
        "statement_content": "当事人称刚入职尚未参加从业资格考试，经复核不影响违法事实认定", "party_signature": "signed",
        # 200 元 > 100 元: collected on the spot under Art 68(二), the driver lives outside the province
        "collected": True, "collection_ground": "hard_later", "receipt_no": f"粤财罚字 No.{ctx.rng.randrange(10**6, 10**7)}",
    }  # fmt: skip
    c = case_summary_create(
        org=ctx.org, party_kind="citizen", party_name=name, subjects={"person": p, "vehicle": v},
        violation_name=violation_get("DY-004", on=on).name, violation_code="DY-004",
        facts=FACTS["DY-004"].format(d=on, **words) + "当事人系外省籍驾驶员，不当场收缴事后难以执行。",
        location="G324线南江口段", penalty_type="fine", fine_fen=20000,
        officer_ids=ctx.two_officers(on), actor=ctx.officer_user, on=on,
        summary_record=record,
    )  # fmt: skip
    c = ctx.act(c, "summary_file", on)
    handed = plus(on, 1)
    if handed <= ctx.today:
        ctx.act(c, "onsite_handin", handed, handed_in_on=handed.isoformat())


# --- 9: 先行登记保存, 扣押 -------------------------------------------------------------------------------


def preservation_released(ctx: Ctx) -> None:
    start = wd(ctx.today - _days(60))
    c = opened(ctx, start, "DY-014")
    plate = c.vehicle.plate if c.vehicle_id else "涉案车辆"
    items = f"{plate}号客车车载视频监控存储卡，1张，本局证据室\n站务监控视频光盘，1张，本局证据室"
    c = ctx.act(
        c, "preserve", start, items=items, reason="车载视频数据可能被循环覆盖、删除，以后难以取得",
        approved_by=str(ctx.head),
    )  # fmt: skip
    c = ctx.act(
        c,
        "preservation_release",
        plus(start, 3),
        ctx.head,
        note="数据已复制固定并经当事人签字确认，原物退还当事人",
    )
    fine = _fine("DY-014", "general", start - DAY, ctx.rng)
    c = notified(ctx, c, plus(start, 4), fine)
    c = ctx.act(
        c, "statement", plus(start, 5), content="当事人对违法事实无异议，放弃陈述申辩", waive_hearing="true"
    )
    c = reviewed(ctx, c, plus(start, 5))
    c = ctx.act(c, "decide", plus(start, 6), ctx.head)
    c = ctx.act(c, "serve", plus(start, 7), method="direct", proof=f"送达回证 {c.pk:05d}")
    pay(ctx, c, plus(start, 12), c.fine_fen)


def seizure_in_force(ctx: Ctx) -> None:
    start = last_wd(ctx.today - _days(6))
    c = opened(ctx, start, "DY-001", "citizen")
    what = f"{c.vehicle.plate}号{c.vehicle.get_vehicle_type_display()}" if c.vehicle_id else "涉案货车"
    ctx.act(
        c, "seize", start, ctx.head, kind="seize", legal_basis="《中华人民共和国道路运输条例》第六十三条",
        reason="当事人无法当场提供车辆营运证和其他有效证明，涉嫌未取得道路运输经营许可擅自从事道路货物运输经营",
        items=f"{what}，1辆，郁南县交通运输局停车场",
    )  # fmt: skip


# --- 10: 复议 and 诉讼 ------------------------------------------------------------------------------------


def reconsideration_running(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(12)), "DY-016")
    got = max(c.served_on, last_wd(ctx.today - _days(2)))
    ctx.act(
        c, "appeal_file", got, kind="reconsideration", filed_on=max(c.served_on, got - _days(2)).isoformat(),
        their_number=f"郁府行复〔{got.year}〕{c.pk}号",
    )  # fmt: skip


def reconsideration_upheld(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(90)), "DY-015")
    c = pay(ctx, c, c.served_on + _days(7), c.fine_fen)
    got = plus(c.served_on, 20)
    c = ctx.act(c, "appeal_file", got, kind="reconsideration", their_number=f"郁府行复〔{got.year}〕{c.pk}号")
    c = ctx.act(c, "appeal_answer", plus(got, 6))
    ctx.act(
        c, "appeal_result", plus(got, 35), outcome="upheld", appeal_doc_no=f"郁府行复决〔{got.year}〕{c.pk}号"
    )


def lawsuit_revoked(ctx: Ctx) -> None:
    c = served(ctx, wd(ctx.today - _days(120)), "DY-017")
    got = plus(c.served_on, 6)
    no = f"（{got.year}）粤5322行初{c.pk}号"
    c = ctx.act(c, "appeal_file", got, kind="litigation", organ=COURT, their_number=no,
                filed_on=plus(c.served_on, 4).isoformat())  # fmt: skip
    c = ctx.act(c, "appeal_answer", plus(got, 8))
    ctx.act(c, "appeal_result", last_wd(ctx.today - _days(15)), outcome="revoked", appeal_doc_no=no)


SCENARIOS = (
    hearing_absent, hearing_held, notice_running, notice_passed, partial_payment, instalments, reminded,
    court_applied, court_ruled, onsite_collection, preservation_released, seizure_in_force,
    reconsideration_running, reconsideration_upheld, lawsuit_revoked,
)  # fmt: skip


def load_case_states(*, seed: int, today: date, head, reviewer, officer_user, org, officers) -> int:
    """One case in each procedural state above; returns how many were written."""
    from zhifa.accounts.selectors import jurisdiction_of

    rng = random.Random(seed * 104729 + 14)
    area = jurisdiction_of(org).path
    vehicles = list(
        Vehicle.objects.filter(org__path__startswith=area).select_related("enterprise").order_by("id")
    )
    ctx = Ctx(
        rng=rng, today=today, head=head, reviewer=reviewer, officer_user=officer_user, org=org,
        officers=officers,
        trucks=[v for v in vehicles if v.enterprise_id and v.vehicle_type in TRUCKS],
        coaches=[v for v in vehicles if v.enterprise_id and v.vehicle_type in COACHES],
        private=[v for v in vehicles if not v.enterprise_id and v.vehicle_type in TRUCKS + ("other",)],
        persons=list(Person.objects.filter(org__path__startswith=area).order_by("id")[:200]),
    )  # fmt: skip
    written = 0
    for scenario in SCENARIOS:
        try:
            with transaction.atomic():
                scenario(ctx)
            written += 1
        except (DomainError, Late) as e:  # refused on this ``today`` (a clock the calendar cannot meet)
            log.warning("demo case %s skipped: %s", scenario.__name__, getattr(e, "message", e))
    return written

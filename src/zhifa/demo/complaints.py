"""Demo 投诉举报: a year of 郁南-sized traffic (seed 001: 128 complaints a year; ~300 orders at scale 1 with
consultations), a realistic mix of channels and categories, most closed in time and called back, a few
refused, merged or late, some 举报 turned into 案源 with the case's outcome flowing back into the reply."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhifa.accounts.models import Org, User
from zhifa.complaints import rules
from zhifa.complaints.enums import Category, Channel, Satisfaction, State
from zhifa.complaints.models import OrderEvent, WorkOrder
from zhifa.complaints.services import Complainant, next_numbers, order_build, order_to_case, order_transition

BUREAU = "郁南县交通运输局"
PER_SCALE = 300
CHANNELS = [(Channel.H12345, 40), (Channel.H12328, 25), (Channel.PHONE, 10), (Channel.PORTAL, 10),
            (Channel.LETTER, 5), (Channel.VISIT, 5), (Channel.WALK_IN, 5)]
CATEGORIES = [(Category.COMPLAINT, 45), (Category.CONSULT, 25), (Category.REPORT, 15), (Category.SUGGEST, 8),
              (Category.HELP, 5), (Category.PRAISE, 2)]
TOPICS = {
    Category.COMPLAINT: [("出租车拒载", "乘客反映出租车在车站拒载短途乘客"), ("出租车绕路多收费", "乘客反映出租车绕路、不打表"),
                         ("班车超员", "郁南至广州班车超员运输"), ("公交车不按站停靠", "城区公交车不按站点停靠"),
                         ("驾校乱收费", "驾校收取合同外费用"), ("维修厂收费不合理", "机动车维修厂收费不明码标价")],
    Category.REPORT: [("黑车非法营运", "汽车站门口有无证车辆拉客"), ("货车超限运输", "货车长期超限运输损坏道路"),
                      ("危货车辆无证运输", "疑似无资质车辆运输危险化学品"), ("网约车无证营运", "网约车未取得运输证营运")],
    Category.CONSULT: [("道路运输证年审", "咨询道路运输证年审所需材料"), ("从业资格证办理", "咨询从业资格证考试报名"),
                       ("超限运输许可", "咨询大件运输许可办理流程"), ("违法处理", "咨询交通运输违法行为处理地点")],
    Category.SUGGEST: [("增开农村客运班线", "建议增开乡镇至县城早班车"), ("完善候车亭", "建议在国道沿线增设候车亭")],
    Category.HELP: [("车辆被扣求助", "车辆被暂扣，询问取车手续"), ("物品遗失", "乘客在班车上遗失物品")],
    Category.PRAISE: [("表扬驾驶员", "表扬班车驾驶员拾金不昧")],
}
PLACES = [("郁南汽车站", 23.2345, 111.5352), ("都城镇", 23.2330, 111.5300), ("G324国道连滩段", 23.0480, 111.4130),
          ("S276线平台段", 23.1010, 111.6210), ("南江口码头", 23.2390, 111.7340), ("建城镇", 23.0650, 111.5900)]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


def _pick(rng: random.Random, table):
    return rng.choices([v for v, _w in table], weights=[w for _v, w in table])[0]


def _at(d: date, rng: random.Random) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(8 + rng.randint(0, 9), rng.randint(0, 59))))


def load_demo_complaints(*, seed: int, today: date, scale: float) -> str:
    rng = random.Random(f"complaints-{seed}")
    bureau = Org.objects.get(name=BUREAU)
    officer = User.objects.filter(username="officer").first()
    head = User.objects.filter(username="head").first()
    n = max(30, round(PER_SCALE * scale))
    orders: list[WorkOrder] = []
    for i in range(n):
        channel, category = _pick(rng, CHANNELS), _pick(rng, CATEGORIES)
        title, content = rng.choice(TOPICS[category])
        place, lat, lng = rng.choice(PLACES)
        received = today - timedelta(days=rng.randint(0, 364))
        anonymous = rng.random() < 0.1
        person = Complainant(rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                             f"1{rng.choice('3589')}{rng.randint(0, 10**9 - 1):09d}")
        o = order_build(org=bureau, channel=channel, category=category, title=title, content=f"{content}。",
                        received_on=received, complainant=person, anonymous=anonymous,
                        external_no=f"YF{received:%Y%m%d}{i:05d}" if channel in (Channel.H12345, Channel.H12328) else "",
                        place=place, lat=lat + rng.uniform(-0.002, 0.002), lng=lng + rng.uniform(-0.002, 0.002))
        o.received_at = _at(received, rng)
        _history(o, rng, today, officer)
        orders.append(o)
    by_year: dict[int, list[WorkOrder]] = {}
    for o in orders:
        by_year.setdefault(o.received_on.year, []).append(o)
    for year, group in by_year.items():
        for o, number in zip(sorted(group, key=lambda x: x.received_at), next_numbers(year, len(group)), strict=True):
            o.number = number
    WorkOrder.objects.bulk_create(orders, batch_size=500)
    saved = list(WorkOrder.objects.filter(org=bureau).order_by("received_at"))
    _merge_some(saved, rng)
    OrderEvent.objects.bulk_create([e for o in saved for e in _events(o)], batch_size=1000)
    cases = _some_to_cases(saved, rng, today, officer, head) if officer and head else 0
    closed = sum(1 for o in saved if o.closed_on)
    return f"投诉举报工单 {len(saved)} 件（办结 {closed} 件，转为案源 {cases} 件）"


def _history(o: WorkOrder, rng: random.Random, today: date, officer) -> None:
    """Moves the order along its table of moves as a year of work would: accepted the same or next day,
    replied mostly in time, hotline orders called back; recent ones still open."""
    if rng.random() < 0.03:
        o.state, o.refuse_reason = State.REFUSED, "不属于交通运输部门职责，已告知向有关部门反映"
        return
    o.accepted_on = min(o.received_on + timedelta(days=rng.choice((0, 0, 1))), today)
    o.handler = officer
    rule = rules.track_rule(o.track)
    if rule.counts_from_acceptance:
        h = rules.handle_clock(o.track, o.category, o.accepted_on)
        o.due, o.clock_explanation = h.due, [*o.clock_explanation, *h.explanation]
    o.state = State.HANDLING
    span = max((o.due - o.received_on).days, 1)
    late = rng.random() < 0.04
    took = span + rng.randint(1, 5) if late else max(1, int(span * rng.uniform(0.2, 0.95)))
    if o.received_on + timedelta(days=took) > today:
        return  # still being handled
    o.replied_on = o.received_on + timedelta(days=took)
    o.reply_text = f"经调查核实，已依法处理您反映的“{o.title}”问题，感谢您的监督。"
    o.state = State.REPLIED
    if rule.revisit_required or rng.random() < 0.5:
        o.revisited_on = min(o.replied_on + timedelta(days=1), today)
        o.satisfaction = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED],
                                     weights=[85, 11, 4])[0]
        o.state = State.REVISITED
        if o.satisfaction == Satisfaction.UNSATISFIED:
            return  # waiting for 重办
    o.closed_on = min((o.revisited_on or o.replied_on) + timedelta(days=rng.choice((0, 1))), today)
    o.closed_at = _at(o.closed_on, rng)
    o.state = State.ARCHIVED if (today - o.closed_on).days > 60 else State.CLOSED
    if o.state == State.ARCHIVED:
        o.archived_on = o.closed_on + timedelta(days=30)


def _merge_some(saved: list[WorkOrder], rng: random.Random) -> None:
    """A few repeat reports of the same thing within days were merged (并单)."""
    by_key: dict[tuple, WorkOrder] = {}
    for o in saved:
        key = (o.category, o.place, o.title)
        first = by_key.get(key)
        if first and (o.received_on - first.received_on).days <= 3 and o.state == State.HANDLING and rng.random() < 0.5:
            WorkOrder.objects.filter(pk=o.pk).update(state=State.MERGED, merged_into=first)
            o.state, o.merged_into = State.MERGED, first
        else:
            by_key[key] = o


def _events(o: WorkOrder) -> list[OrderEvent]:
    ev = [OrderEvent(order=o, on=o.received_on, action="receive", label="登记", state_to=State.RECEIVED,
                     actor_name="系统（演示数据）", public_note="已收到您的诉求")]
    if o.state == State.REFUSED:
        ev.append(OrderEvent(order=o, on=o.received_on, action="refuse", label="不予受理", state_to=State.REFUSED,
                             note=o.refuse_reason, public_note=f"不予受理。理由：{o.refuse_reason}"))
        return ev
    if o.state == State.MERGED:
        ev.append(OrderEvent(order=o, on=o.received_on, action="merge", label="并单", state_to=State.MERGED,
                             public_note="与同一事项的工单合并办理"))
        return ev
    ev.append(OrderEvent(order=o, on=o.accepted_on, action="accept", label="受理", state_to=State.ACCEPTED,
                         public_note=f"已受理，将于 {o.due:%Y年%m月%d日} 前办结答复"))
    for day, action, label, state, note in (
        (o.replied_on, "reply", "答复", State.REPLIED, o.reply_text),
        (o.revisited_on, "revisit", "回访", State.REVISITED, f"回访：{o.get_satisfaction_display()}"),
        (o.closed_on, "close", "办结", State.CLOSED, "已办结"),
        (o.archived_on, "archive", "归档", State.ARCHIVED, ""),
    ):
        if day:
            ev.append(OrderEvent(order=o, on=day, action=action, label=label, state_to=state, note=note,
                                 public_note=note, public=action != "archive", actor_name="officer"))
    return ev


def _some_to_cases(saved: list[WorkOrder], rng: random.Random, today: date, officer, head) -> int:
    """Open 举报 become 案源 through the real seam; half of them are closed 不予立案 by the head, and the
    outcome flows back (event) into the order, which is then answered with its draft."""
    from zhifa.cases.services import case_source_close

    picked = [o for o in saved if o.category == Category.REPORT and o.state == State.HANDLING][:8]
    for i, o in enumerate(picked):
        src = order_to_case(order=o, actor=officer, on=today)
        if i % 2 == 0:
            case_source_close(source=src, reason="经现场核查，未发现所反映的违法行为", actor=head)
            o.refresh_from_db()
            order_transition(order=o, action="reply", actor=officer, data={"reply_text": o.reply_draft}, on=today)
    return len(picked)

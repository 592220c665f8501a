"""The demo county's 双随机 state, created through the inspections services (``actor=None``: the installer).

Called by the demo loader after the county, officers and regulated subjects exist. It creates the 随机抽查
事项清单, publishes the three lists (两库一单), an annual plan of 郁南县交通运输局 with two completed rounds
of the freight item (committed, drawn, revealed, inspected, published; one finding became a case source)
and a third round committed and ready to draw. Deterministic: seeds and outcomes derive from ``seed``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from zhifa.accounts.enums import OrgKind
from zhifa.accounts.models import Org
from zhifa.inspections import draw as algo
from zhifa.inspections import services as svc
from zhifa.inspections.models import Assignment, InspectionTask, ItemCategory, ResultKind

TZ = ZoneInfo("Asia/Shanghai")
# A 1x1 PNG: the signature pad's output format (data URL); the demo has no real handwriting.
DEMO_SIGNATURE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)

# (code, name, legal basis, business types, ratio in 1/10000, frequency, category, checklist)
ITEMS = (
    (
        "YNJT-SJ-01",
        "道路旅客运输经营者安全生产与经营行为检查",
        "《中华人民共和国道路运输条例》第七章“监督检查”；《道路旅客运输及客运站管理规定》",
        ["passenger"],
        2000,
        2,
        ItemCategory.KEY,
        [
            "安全生产管理制度与责任落实",
            "驾驶员从业资格与教育培训",
            "车辆技术状况与动态监控",
            "客运标志牌与线路",
        ],
    ),
    (
        "YNJT-SJ-02",
        "道路货物运输经营者经营行为检查",
        "《中华人民共和国道路运输条例》第七章“监督检查”；《道路货物运输及站场管理规定》",
        ["freight"],
        500,
        3,
        ItemCategory.GENERAL,
        ["道路运输经营许可证与车辆道路运输证", "驾驶员从业资格", "车辆技术档案", "动态监控装置"],
    ),
    (
        "YNJT-SJ-03",
        "危险货物道路运输企业安全管理检查",
        "《中华人民共和国道路运输条例》第七章“监督检查”；《危险货物道路运输安全管理办法》",
        ["dangerous"],
        3000,
        2,
        ItemCategory.KEY,
        ["专职安全管理人员", "驾驶员与押运人员资格", "罐体与车辆检验", "应急预案与演练"],
    ),
    (
        "YNJT-SJ-04",
        "机动车维修经营者经营行为检查",
        "《中华人民共和国道路运输条例》第七章“监督检查”；《机动车维修管理规定》",
        ["repair"],
        500,
        1,
        ItemCategory.GENERAL,
        ["维修经营备案", "维修档案与竣工出厂合格证", "维修价格公示"],
    ),
)


@dataclass
class DemoInspections:
    items: int
    plan_id: int
    tasks: list[tuple[str, str]]  # (title, status)
    inspections: int
    case_sources: int

    def __str__(self) -> str:  # the console line of `zhifa demo`: words, not a Python repr
        tasks = "；".join(f"{title}（{status}）" for title, status in self.tasks)
        return (f"检查事项 {self.items} 项，抽查任务 {len(self.tasks)} 个（{tasks}），检查记录 {self.inspections} 份，"
                f"转为案源 {self.case_sources} 条")


def _at(d: date, hour: int = 10) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=TZ)


def _bureau() -> Org:
    return (
        Org.objects.filter(kind=OrgKind.BUREAU, name="郁南县交通运输局").first()
        or Org.objects.filter(kind=OrgKind.BUREAU).order_by("path").first()
    )


# Two witnesses at the second round's draw (zhifa-draw-v2): the bureau cannot steer a draw whose seed
# also depends on values it learns only after its commitment. (role, name, value as typed)
DEMO_WITNESSES = (("纪检监察", "黄纪明", "7315"), ("企业代表", "陈运达", "２０４８"))


def _completed_round(
    task: InspectionTask, *, seed_bytes: bytes, rng: random.Random, today: date, witnessed: bool = False
) -> tuple[int, int]:
    start = task.draw_date
    roles = [role for role, _, _ in DEMO_WITNESSES] if witnessed else []
    svc.draw_commit(task=task, actor=None, seed=seed_bytes, at=_at(start - timedelta(days=1), 16), witnesses=roles)
    for k, (_, name, value) in enumerate(DEMO_WITNESSES if witnessed else (), start=1):
        svc.contribution_enter(task=task, slot=f"W{k}", name=name, value=value, actor=None, at=_at(start, 8))
    svc.draw_execute(task=task, actor=None, on=start, at=_at(start, 9))
    svc.draw_reveal(task=task, actor=None, at=_at(start, 11))
    records, cases = [], 0
    for a in (
        Assignment.objects.filter(draw=task.current_draw()).select_related("enterprise").order_by("position")
    ):
        day = min(today, start + timedelta(days=rng.randint(2, 20)))
        roll = rng.random()
        result, findings, due = ResultKind.NONE, "", None
        if roll < 0.15:
            result, findings = ResultKind.RECTIFY, "车辆技术档案不完整，部分车辆二级维护记录缺失"
            due = day + timedelta(days=15)
        elif roll < 0.22:
            result, findings = ResultKind.CASE, "一辆营运货车未按规定取得道路运输证即从事经营"
        checklist = [
            {"item": c, "ok": result == ResultKind.NONE or i > 0, "note": ""}
            for i, c in enumerate(task.item.checklist)
        ]
        rec = svc.record_save(
            assignment=a,
            actor=None,
            inspected_on=day,
            location=a.enterprise.address,
            checklist=checklist,
            findings=findings,
            result=result,
            rectify_due=due,
            signer_name="企业负责人",
            signature=DEMO_SIGNATURE,
            submit=True,
            at=_at(day, 17),
        )
        if result == ResultKind.CASE:
            svc.record_open_case(record=rec, actor=None)
            cases += 1
        records.append(rec)
    for rec in records:
        day = min(today, rec.inspected_on + timedelta(days=rng.randint(3, 18)))
        svc.record_publish(record=rec, actor=None, at=_at(day, 15))
    return len(records), cases


def load_demo_inspections(*, seed: int, today: date) -> DemoInspections:
    """Create the 双随机 demo state in 郁南 (see module docstring); expects the demo county to be loaded."""
    rng = random.Random(f"inspections-{seed}")
    bureau = _bureau()
    items = [
        svc.item_create(
            org=bureau,
            code=c,
            name=n,
            legal_basis=b,
            inspecting_body=bureau.name,
            business_types=t,
            ratio_bp=r,
            frequency=f,
            category=cat,
            checklist=cl,
            actor=None,
        )
        for c, n, b, t, r, f, cat, cl in ITEMS
    ]
    plan = svc.plan_create(
        org=bureau,
        year=today.year,
        title=f"{bureau.name}{today.year}年度“双随机、一公开”抽查计划",
        note="按季度分轮实施；重点检查事项不设比例上限，一般检查事项按比例抽取。",
        items=[(i, i.ratio_bp, [1, 2, 3, 4]) for i in items],
        actor=None,
    )
    for kind in ("items", "targets", "inspectors"):
        svc.list_publish(org=bureau, kind=kind, actor=None, on=today - timedelta(days=150))
    freight = items[1]
    inspections = cases = 0
    titles = []
    for n, days_ago in ((1, 140), (2, 60)):
        task = svc.task_create(
            plan=plan,
            item=freight,
            draw_date=today - timedelta(days=days_ago),
            due_date=today - timedelta(days=days_ago - 30),
            actor=None,
        )
        i, c = _completed_round(
            task,
            seed_bytes=algo.sm3(f"zhifa-demo-{seed}-{freight.code}-{n}".encode()),
            rng=rng,
            today=today,
            witnessed=n == 2,
        )
        inspections += i
        cases += c
    for kind in ("items", "targets", "inspectors"):
        svc.list_publish(org=bureau, kind=kind, actor=None, on=today)
    ready = svc.task_create(
        plan=plan, item=freight, draw_date=today, due_date=today + timedelta(days=30), actor=None
    )
    # today's round waits for its two witnesses: an officer enters their values (or hands them the
    # one-time codes for the phone page) and then draws
    svc.draw_commit(task=ready, actor=None, at=_at(today, 9), witnesses=[role for role, _, _ in DEMO_WITNESSES])
    for t in InspectionTask.objects.filter(plan=plan).order_by("round_no"):
        titles.append((t.title, t.get_status_display()))
    return DemoInspections(
        items=len(items), plan_id=plan.pk, tasks=titles, inspections=inspections, case_sources=cases
    )

"""Demo: a year of 双公示 and credit data consistent with the demo's cases, permits and inspections."""

from __future__ import annotations

import random
from datetime import date, timedelta


def load_demo_disclosure(*, seed: int, today: date, scale: float) -> str:
    from zhifa.accounts.models import Org, User
    from zhifa.cases.models import Case
    from zhifa.credit import services as cs
    from zhifa.disclosure.models import DisclosureRecord
    from zhifa.disclosure.services import _emit_now, disclosure_expire_due
    from zhifa.disclosure.sources import EnforcementItem

    rng = random.Random(seed + 4)
    head = User.objects.filter(username="head").first()
    start = today - timedelta(days=365)
    n = 0
    for case in Case.objects.filter(decided_on__isnull=False, decided_on__gte=start).order_by("pk"):
        if DisclosureRecord.objects.filter(source_type="cases.case", source_id=str(case.pk)).exists():
            continue  # the case module already emitted it
        delay = rng.choice([1, 2, 3, 5, 6, 9, 12])  # some published late (over 7 working days)
        if _emit_now(
            kind="penalty",
            source=case,
            decided_on=case.decided_on,
            actor=head,
            on=min(today, case.decided_on + timedelta(days=delay)),
        ):
            n += 1
    # 行政许可 records: emitted by the permit decisions the county loader made (zhifa.demo.permits)
    n += DisclosureRecord.objects.filter(kind="permit").count()
    for org in Org.objects.filter(kind="bureau"):
        for cat, title, content in [
            ("执法主体", f"{org.name}执法主体信息", f"{org.name}，依法承担交通运输行政执法职责。"),
            ("执法依据", "行政执法事项清单", "行政处罚、行政检查、行政强制事项及其法律依据，见规则库。"),
            ("执法程序", "行政处罚流程图", "立案—调查取证—告知—陈述申辩/听证—法制审核—决定—送达—执行。"),
            ("裁量基准", "交通运输行政处罚裁量基准", "按违法情节分轻微、一般、较重、严重四个阶次。"),
        ]:
            src = EnforcementItem(org, cat, title, content)
            _emit_now(kind="enforcement", source=src, decided_on=start, actor=head, on=start)
    expired = disclosure_expire_due(on=today)
    # 一户一档: any file still kept under a name joins its registered enterprise (audited, by the head)
    if head is not None and head.org_id is not None:
        for pair in cs.merge_candidates(head.org):
            cs.credit_file_merge(
                from_ref=pair["from"], to_ref=pair["to"], actor=head, reason="一户一档：按名称建立的档案并入已登记企业"
            )
    # a few repaired records
    from zhifa.credit.models import CreditRecord

    repaired = 0
    for cr in CreditRecord.objects.filter(
        effect="negative", status="active", repair_eligible_from__lte=today
    ).order_by("pk")[:3]:
        app = cs.credit_repair_apply(
            record=cr,
            applicant=cr.subject_name,
            pledge="承诺所提交材料真实有效。",
            proof="罚款已缴纳",
            obligations_met=True,
            on=today,
            actor=None,
        )
        if head is not None:
            cs.credit_repair_decide(
                application=app, approve=True, reasons="已纠正并履行全部义务", on=today, actor=head
            )
            repaired += 1
    ratings = 0
    for org in Org.objects.filter(kind="bureau"):
        ratings += cs.rating_run(org=org, year=today.year - 1, actor=None)
        if head is not None and head.org_id and org.pk == head.org.pk:
            cs.rating_finalise(org=org, year=today.year - 1, on=date(today.year, 1, 20), actor=head)
        ratings += cs.rating_run(org=org, year=today.year, actor=None)  # this year's 初评, under review
    members = _demo_lists(today, head)
    return f"名单成员 {members} 个；公示记录 {n} 条（期满 {expired} 条，信用修复 {repaired} 条），信用评价 {ratings} 个主体"


def _demo_lists(today: date, head) -> int:
    from django.db.models import Count

    from zhifa.accounts.selectors import jurisdiction_of
    from zhifa.core.calendar import add_workdays
    from zhifa.credit import services as cs
    from zhifa.credit.models import CreditRecord, Rating

    if head is None or head.org_id is None:
        return 0
    org = jurisdiction_of(head.org)
    n = 0
    worst = (
        CreditRecord.objects.filter(org=org, effect="negative", status="active")
        .values("subject_ref", "subject_name")
        .annotate(k=Count("id"))
        .order_by("-k", "subject_ref")[:2]
    )
    noticed = today - timedelta(days=60)
    for i, w in enumerate(worst):
        kind, crit = ("black", "OTHER") if i == 0 else ("watch", "WATCH-1")
        e = cs.list_entry_propose(
            org=org,
            list_kind=kind,
            subject_ref=w["subject_ref"],
            subject_name=w["subject_name"],
            criterion=crit,
            facts=f"一年内失信记录 {w['k']} 条",
            on=noticed,
            actor=head,
        )
        cs.list_entry_decide(
            entry=e, include=True, on=add_workdays(noticed, 10).date, actor=head, reasons="异议期满无异议"
        )
        n += 1
    best = (
        Rating.objects.filter(org=org, stage="final", grade__in=["AAA", "AAAA"])
        .order_by("subject_ref")
        .first()
    )
    if best is not None:
        e = cs.list_entry_propose(
            org=org,
            list_kind="red",
            subject_ref=best.subject_ref,
            subject_name=best.subject_name,
            criterion="RED-AAA",
            facts=f"{best.year} 年度质量信誉考核 {best.grade}",
            on=noticed,
            actor=head,
        )
        cs.list_entry_decide(entry=e, include=True, on=add_workdays(noticed, 10).date, actor=head)
        n += 1
    return n

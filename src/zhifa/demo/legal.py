"""Demo 法制工作 for 郁南 (scaled on the seeds: 郁南 put 37 documents through 合法性 and 公平竞争 review; 朝阳
sampled 35 files for 评查; 阳江 adjusted its 权责清单 by 委托 and 重心下移): about thirty normative documents
through the whole procedure over the years (some repealed in a 清理, some lapsed, two drafts under review,
one challenged in a 复议), two 重大行政决策, one 评查 campaign drawn from the closed cases and partly scored,
and the 权责清单 with one item delegated."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhifa.accounts.models import Org, User
from zhifa.legal import selectors, services
from zhifa.legal.enums import CheckResult, Finding
from zhifa.rules.checklists import checklist_for

BUREAU = "郁南县交通运输局"
TITLES = [
    ("巡游出租汽车经营服务管理规定", "出租汽车", True),
    ("网络预约出租汽车经营服务管理实施细则", "出租汽车", True),
    ("道路货物运输源头超限超载治理办法", "治超", True),
    ("农村客运班线通村公交化改造实施方案", "道路客运", True),
    ("机动车维修经营备案管理办法", "机动车维修", True),
    ("机动车驾驶员培训市场管理办法", "驾驶培训", True),
    ("交通运输行政执法全过程记录实施办法", "执法监督", False),
    ("重大行政执法决定法制审核办法", "执法监督", False),
    ("交通运输行政执法公示实施办法", "执法监督", False),
    ("道路运输企业安全生产主体责任规定", "安全生产", True),
    ("危险货物道路运输安全管理实施细则", "危险货物", True),
    ("城市公共汽车客运服务规范", "城市公交", True),
    ("公路路政许可办理规定", "公路路政", True),
    ("交通运输信用评价管理办法", "信用", True),
    ("道路运输从业人员管理办法", "从业人员", True),
    ("港口经营市场管理办法", "水运", True),
    ("水路运输安全监督管理规定", "水运", True),
    ("交通建设工程质量监督管理办法", "工程建设", True),
    ("交通运输行政执法过错责任追究办法", "执法监督", False),
    ("包容审慎监管轻微违法行为免罚清单", "执法监督", True),
    ("客运站经营服务规范", "客运站", True),
    ("道路运输车辆动态监控管理办法", "动态监控", True),
    ("交通运输投诉举报处理办法", "投诉举报", False),
    ("公路超限运输车辆通行管理办法", "治超", True),
    ("汽车租赁经营服务管理办法", "汽车租赁", True),
    ("交通运输行政裁量权基准适用规定", "执法监督", False),
    ("道路运输驾驶员诚信考核实施细则", "信用", True),
    ("出租汽车驾驶员从业资格管理办法", "出租汽车", True),
]
POWERS = [
    ("XK-001", "道路货物运输经营许可", "licensing", "《道路运输条例》第二十四条"),
    ("XK-002", "道路旅客运输经营许可", "licensing", "《道路运输条例》第十条"),
    ("XK-003", "巡游出租汽车经营许可", "licensing", "《巡游出租汽车经营服务管理规定》第八条"),
    ("XK-004", "超限运输车辆行驶公路许可", "licensing", "《公路法》第五十条"),
    ("CF-001", "对未取得道路运输经营许可擅自从事道路运输经营的处罚", "penalty", "《道路运输条例》第六十三条"),
    ("CF-002", "对未按规定携带道路运输证的处罚", "penalty", "《道路运输条例》第六十八条"),
    ("CF-003", "对车辆超限运输的处罚", "penalty", "《公路法》第七十六条"),
    ("CF-004", "对机动车维修经营者未按规定备案的处罚", "penalty", "《道路运输条例》第六十五条"),
    ("QZ-001", "暂扣无道路运输证件的车辆", "coercion", "《道路运输条例》第六十三条"),
    ("JC-001", "道路运输经营者监督检查", "inspection", "《道路运输条例》第五十八条"),
    ("JC-002", "公路超限运输监督检查", "inspection", "《公路安全保护条例》第六十七条"),
    ("QR-001", "道路运输从业资格确认", "confirmation", "《道路运输从业人员管理规定》第六条"),
    ("JL-001", "道路运输行业见义勇为表彰", "reward", "《道路运输条例》第七条"),
]


def _legal_checks() -> dict:
    return {c: CheckResult.PASS for c in services.LEGAL_CHECKS}


def _through(doc, reviewer, head, on: date, n: int, *, publish: bool = True):
    services.doc_submit_review(actor=reviewer, doc=doc, on=on)
    review_on = on + timedelta(days=7)
    services.doc_legal_review(actor=reviewer, doc=doc, checks=_legal_checks(), opinion="", on=review_on)
    doc.refresh_from_db()
    if doc.affects_business:
        findings = {it["code"]: Finding.CLEAR for it in checklist_for("fair_competition", on=review_on).items}
        services.doc_fair_review(actor=reviewer, doc=doc, findings=findings, on=review_on)
    services.doc_deliberate(actor=head, doc=doc, on=review_on + timedelta(days=7), minutes="局务会议审议通过")
    issued = review_on + timedelta(days=10)
    services.doc_register(
        actor=reviewer,
        doc=doc,
        doc_no=f"郁交规〔{issued.year}〕{n}号",
        issued_on=issued,
        effective_from=issued + timedelta(days=30),
    )
    if publish:
        services.doc_publish(
            actor=reviewer,
            doc=doc,
            on=issued + timedelta(days=2),
            url=f"https://www.yunan.gov.cn/zwgk/gfxwj/{issued.year}{n:03d}.html",
        )
        services.doc_file(actor=reviewer, doc=doc, on=issued + timedelta(days=12), filed_to="郁南县人民政府")


def load_demo_legal(*, seed: int, today: date, scale: float) -> str:
    rng = random.Random(f"legal-{seed}")
    bureau = Org.objects.get(name=BUREAU)
    reviewer, head, officer = (User.objects.get(username=u) for u in ("reviewer", "head", "officer"))
    docs = []
    checklist_start = date(2024, 8, 1)  # the 公平竞争审查条例 (and its checklist) from 2024-08-01
    for i, (title, subject, business) in enumerate(TITLES):
        start = (
            today - timedelta(days=rng.randint(60, 5 * 365 - 30))
            if i % 3
            else today - timedelta(days=rng.randint(60, 700))
        )
        start = max(start, checklist_start) if business else start
        doc = services.doc_create(
            actor=officer,
            org=bureau,
            title=f"郁南县{title}",
            drafting_unit="郁南县交通运输局",
            subject=subject,
            affects_business=business,
            is_trial=i % 9 == 4,
            on=start,
        )
        if i >= len(TITLES) - 2:  # two drafts still in the procedure
            services.doc_consult(
                actor=officer,
                doc=doc,
                comment_from=today - timedelta(days=40),
                comment_to=today - timedelta(days=10),
                channel="郁南县人民政府网站公开征求意见",
            )
            services.doc_comment_add(
                actor=officer,
                doc=doc,
                source="郁南县出租汽车行业协会",
                content="建议明确车辆更新年限的过渡期",
                handling="采纳，增加一年过渡期",
            )
            if i == len(TITLES) - 1:
                services.doc_submit_review(actor=officer, doc=doc, on=today - timedelta(days=3))
            continue
        _through(doc, reviewer, head, start, i + 1)
        docs.append(doc)
    # a 清理 this year: every document in force reviewed, three repealed with their reasons
    cleanup = services.cleanup_create(
        actor=reviewer,
        org=bureau,
        title=f"{today.year}年度规范性文件清理",
        issued_from=date(2000, 1, 1),
        issued_to=today,
        reviewers=[reviewer],
        on=today - timedelta(days=40),
    )
    for k, item in enumerate(cleanup.items.all()):
        repeal = k < 3
        services.cleanup_decide(
            actor=reviewer,
            item=item,
            decision="repeal" if repeal else "keep",
            reason="上位法已修改，决定废止" if repeal else "",
            on=today - timedelta(days=25),
        )
    services.cleanup_close(actor=reviewer, campaign=cleanup, on=today - timedelta(days=20))
    lapsed = services.docs_expire(on=today)
    challenged = next((d for d in docs[3:] if d.subject == "出租汽车"), docs[-1])
    challenged.refresh_from_db()
    if challenged.status == "published":
        services.challenge_add(
            actor=reviewer,
            doc=challenged,
            organ="郁南县人民政府",
            their_number=f"郁府行复〔{today.year}〕9号",
            notified_on=today - timedelta(days=5),
            clauses="第十二条第二款（车辆更新年限）",
        )
    # 重大行政决策
    d = services.decision_create(
        actor=reviewer,
        org=bureau,
        year=today.year,
        title="郁南县城区公交线网优化调整方案",
        lead_unit="运输股",
        risk_needed=True,
        on=today - timedelta(days=120),
    )
    # (step, who, started days ago, done days ago, evidence)
    steps = [
        ("catalogue", reviewer, None, 120, "县政府年度决策事项目录第3项"),
        (
            "comment",
            reviewer,
            100,
            69,
            "https://www.yunan.gov.cn/hdjl/zjyj/2026-3.html（收到意见46条，采纳12条）",
        ),
        ("risk", reviewer, None, 60, "社会稳定风险评估报告（低风险）"),
        ("legality", reviewer, 50, 40, "常年法律顾问广东某律师事务所合法性审查意见书"),
        ("discussion", head, None, 30, "局务会议纪要〔2026〕11号"),
    ]
    for name, who, started, done, evidence in steps:
        services.decision_step_record(
            actor=who,
            decision=d,
            step=name,
            started_on=today - timedelta(days=started) if started else None,
            done_on=today - timedelta(days=done),
            evidence=evidence,
        )
    services.decision_create(
        actor=reviewer,
        org=bureau,
        year=today.year,
        title="郁南县农村客运发展规划（2026—2030年）",
        lead_unit="规划股",
        risk_needed=False,
        on=today - timedelta(days=30),
    )
    # 权责清单, one item delegated (阳江's 委托 / 重心下移)
    for code, name, kind, basis in POWERS:
        services.power_item_save(
            actor=reviewer,
            org=bureau,
            code=code,
            name=name,
            kind=kind,
            basis=basis,
            level="县级",
            valid_from=date(today.year - 1, 1, 1),
            responsibilities="受理、审查、决定、送达、事后监管",
            accountability="不依法履行职责的，依法追责",
        )
    services.power_item_save(
        actor=reviewer,
        org=bureau,
        code="JC-001",
        name="道路运输经营者监督检查",
        kind="inspection",
        basis="《道路运输条例》第五十八条",
        level="县级",
        delegated_to="郁南县各镇人民政府",
        valid_from=date(today.year, 7, 1),
        change_reason="委托乡镇实施（重心下移）",
        responsibilities="检查、记录、移送",
        accountability="不依法履行职责的，依法追责",
    )
    # 案卷评查: the year's closed files drawn, about half scored
    files = 0
    cases = selectors.closed_cases_for_review(reviewer)
    if cases.filter(closed_on__year=today.year).exists():
        c = services.campaign_create(
            actor=reviewer,
            org=bureau,
            title=f"{today.year}年度行政执法案卷评查",
            closed_from=date(today.year, 1, 1),
            closed_to=today,
            ratio_percent=20,
            per_unit=2,
            rectify_days=30,
            reviewers=[reviewer],
        )
        services.campaign_sample(actor=reviewer, campaign=c, cases=cases, on=today - timedelta(days=10))
        sheet = checklist_for("casefile_review", on=today)
        full = {it["code"]: it["points"] for it in sheet.items if not it.get("veto")}
        for k, f in enumerate(c.files.all()):
            files += 1
            if k % 2:
                continue
            lost = {"F2": full["F2"] - 1, "C2": full["C2"] - 3} if k % 4 == 0 else {}
            services.file_score(
                actor=reviewer,
                file=f,
                points=full | lost,
                vetoes=[],
                findings="询问笔录未载明执法证号；证据清单页码不连续" if lost else "",
                on=today - timedelta(days=5),
            )
    hearings, counsel_opinions = _followups(bureau, reviewer, head, today)
    return (
        f"法制工作：规范性文件 {len(TITLES)} 件（现行有效 {selectors.public_documents(on=today).count()} 件，"
        f"清理废止 3 件，到期失效 {lapsed} 件），重大行政决策 2 项，评查案卷 {files} 份，权责事项 {len(POWERS)} 项，"
        f"应诉开庭 {hearings} 次，法律顾问意见 {counsel_opinions} 件"
    )


def _followups(bureau, reviewer, head, today: date) -> tuple[int, int]:
    """The cases' 复议/诉讼 records get their hearings (the 局长 appeared at the first, a deputy sent the
    股长 with a reason at another) and a 复议意见书 with its 60-day report; a 常年法律顾问 (seed 004) with
    opinions on the two 重大行政决策 and one document; the reviewer's 法律职业资格 is left unregistered (seed 003:
    法规科 staff not legally trained) so the page shows the gap."""
    from zhifa.cases.enums import AppealKind
    from zhifa.legal.models import Decision

    appeals = list(selectors.appeals_register(head).order_by("received_on", "pk"))
    hearings = 0
    for k, a in enumerate(x for x in appeals if x.kind == AppealKind.LITIGATION):
        held = min(a.received_on + timedelta(days=40), today)
        services.hearing_record(
            actor=reviewer,
            appeal=a,
            held_on=held,
            court=a.organ,
            instance="first",
            head_present=k % 2 == 0,
            head_name="陈建国",
            head_rank="principal" if k % 4 == 0 else "deputy",
            head_title="局长" if k % 4 == 0 else "副局长",
            identity_filed=True,
            appeared_instead="" if k % 2 == 0 else "黄志强（法规股股长）",
            absent_reason="" if k % 2 == 0 else "同日参加市政府安全生产专题会议",
        )
        hearings += 1
    for a in [x for x in appeals if x.kind == AppealKind.RECONSIDERATION][:1]:
        r = services.recommendation_add(
            actor=head,
            appeal=a,
            kind="opinion",
            doc_no=f"郁府复意〔{a.received_on.year}〕1号",
            received_on=min(a.received_on + timedelta(days=30), today),
            content="询问笔录未告知陈述申辩权利的时间节点，建议完善告知程序",
        )
        if r.received_on + timedelta(days=20) <= today:
            services.recommendation_reply(
                actor=head,
                recommendation=r,
                replied_on=r.received_on + timedelta(days=20),
                corrective_action="修订《行政处罚告知书》格式文本并组织全员培训",
            )
    contract = services.counsel_contract_add(
        actor=head,
        org=bureau,
        counsel="广东南江律师事务所",
        lawyers="梁伟、何丽",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        scope="常年法律顾问：重大行政决策、规范性文件合法性审查意见，行政复议、诉讼代理",
        fee_fen=6_000_000,
    )
    n = 0
    for d in Decision.objects.filter(org=bureau).order_by("pk")[:2]:
        services.counsel_opinion_add(
            actor=reviewer,
            contract=contract,
            matter_kind="decision",
            matter_id=d.pk,
            matter_title=d.title,
            given_on=min(date(today.year, 3, 10) + timedelta(days=20 * n), today),
            summary="决策程序、权限符合《重大行政决策程序暂行条例》，建议补充风险评估结论",
            adopted=True,
        )
        n += 1
    return hearings, n

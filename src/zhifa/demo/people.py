"""Demo 队伍与保障 for 郁南 on the seeds' scale: a year of training (阳江 held 18 lectures and classes), a
question bank and one 学法考试 taken online by most officers (a few on paper), equipment for each 中队 against
the configured quotas with body cams checked out and three clips of a joint operation linked to the device
that recorded them, three dozen joint operations with the police (partner fines and 记分 apart), 7 emergency
plans with drills (S4), standby fleets and a week of duty, and ~20 road-safety risk tasks (阳江: 21)."""

from __future__ import annotations

import io
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from zhifa.accounts.enums import OfficerStatus, OrgKind
from zhifa.accounts.models import Officer, Org, User
from zhifa.evidence.services import evidence_ingest, target_org
from zhifa.people import services
from zhifa.people.files import KINDS
from zhifa.people.models import Attendance, EquipmentItem, EquipmentKind, Question

BUREAU = "郁南县交通运输局"
COURSES = [
    ("《行政处罚法》专题讲座", "市司法局", 4),
    ("道路运输执法业务培训", "省交通运输厅", 16),
    ("治超非现场执法系统操作", "大队法制组", 4),
    ("执法文书制作规范", "大队法制组", 6),
    ("《公路安全保护条例》解读", "县法律顾问", 3),
    ("执法记录仪使用与证据管理", "大队信息组", 3),
    ("两客一危动态监控业务", "市交通运输局", 8),
    ("行政执法“三项制度”", "县司法局", 4),
    ("安全生产法律法规", "县应急管理局", 4),
    ("网约车执法实务", "市交通运输局", 6),
    ("党校执法能力提升班", "县委党校", 24),
    ("信访工作条例学习", "县信访局", 2),
    ("行政复议与应诉", "市司法局", 4),
    ("危险货物道路运输规则", "省交通运输厅", 8),
    ("执法礼仪与形象建设", "大队综合组", 2),
    ("应急处置演练讲评", "县应急管理局", 3),
    ("个人信息保护法", "县法律顾问", 2),
    ("年度执法案卷评查讲评", "市司法局", 4),
]
EXTRA_QUESTIONS = [
    (
        "single",
        "行政处罚的简易程序适用于对公民处以多少元以下罚款？",
        ["50 元", "200 元", "500 元"],
        [1],
        "《中华人民共和国行政处罚法》",
        "第五十一条",
    ),
    (
        "single",
        "当事人要求听证的，应当在告知后几日内提出？",
        ["3 日", "5 日", "7 日"],
        [1],
        "《中华人民共和国行政处罚法》",
        "第六十四条",
    ),
    (
        "tf",
        "违法行为在二年内未被发现的，不再给予行政处罚（法律另有规定的除外）。",
        [],
        [0],
        "《中华人民共和国行政处罚法》",
        "第三十六条",
    ),
    (
        "multiple",
        "行政执法“三项制度”包括：",
        ["行政执法公示", "执法全过程记录", "重大执法决定法制审核", "执法人员轮岗"],
        [0, 1, 2],
        "国办发〔2018〕118号",
        "一",
    ),
    (
        "tf",
        "执法人员与案件有直接利害关系的，应当回避。",
        [],
        [0],
        "《中华人民共和国行政处罚法》",
        "第四十三条",
    ),
    (
        "single",
        "行政复议申请期限一般为知道行政行为之日起多少日？",
        ["30 日", "60 日", "90 日"],
        [1],
        "《中华人民共和国行政复议法》",
        "第二十条",
    ),
    (
        "multiple",
        "道路运输经营者应当取得的证件包括：",
        ["道路运输经营许可证", "车辆道路运输证", "驾驶员从业资格证", "营业执照复印件公证书"],
        [0, 1, 2],
        "《中华人民共和国道路运输条例》",
        "第十条",
    ),
    (
        "single",
        "公路法规定，超限运输车辆须经哪个部门批准？",
        ["公安交警", "公路管理机构", "市场监管部门"],
        [1],
        "《中华人民共和国公路法》",
        "第五十条",
    ),
]
STANDBY = [
    ("hazmat", "危化品运输应急车队（罐车）", 6, "梁队长", "0766-7512345", "都城镇物流园"),
    ("wartime", "战备运输车队", 12, "陈经理", "0766-7523456", "郁南县汽车运输公司"),
    ("passenger", "客运应急车队", 8, "黄站长", "0766-7534567", "郁南汽车站"),
]
PLANS = [
    "疫情防控交通运输保障应急预案",
    "道路运输突发事件应急预案",
    "水路运输突发事件应急预案",
    "自然灾害交通运输应急预案",
    "紧急运输运力保障应急预案",
    "危险货物运输事故应急预案",
    "公路交通突发事件应急预案",
]
SITES = [
    ("G324 国道连滩段", 23.0480, 111.4130),
    ("S276 线平台段", 23.1010, 111.6210),
    ("都城镇西江大桥", 23.2330, 111.5300),
    ("南江口码头", 23.2390, 111.7340),
    ("建城镇 S352 线", 23.0650, 111.5900),
    ("郁南汽车站", 23.2345, 111.5352),
]
RISKS = [
    "穿村过镇路段交通安全整治",
    "临水临崖路段护栏完善",
    "平交路口“一清一灯一带”设置",
    "农村客运班线安全检查",
    "危险货物运输企业隐患排查",
    "客运站“三不进站、六不出站”落实",
    "渡口渡船安全隐患整治",
    "桥梁限载标志完善",
    "长下坡路段避险车道建设",
    "校车运营安全检查",
    "货运源头企业装载监管",
    "“平安村口”建设",
    "城区公交安全隐患排查",
    "网约车平台安全责任落实",
    "驾培机构安全管理检查",
    "汛期地质灾害路段巡查",
    "隧道消防设施检查",
    "施工路段安全管控",
    "运输企业安全主体责任约谈",
    "重点营运车辆动态监控",
    "公路桥梁安全评估",
]


def load_demo_people(*, seed: int, today: date, scale: float) -> str:
    rng = random.Random(f"people-{seed}")
    bureau = Org.objects.get(name=BUREAU)
    head = User.objects.filter(username="head").first()
    officers = list(Officer.objects.filter(org__path__startswith=bureau.path, status=OfficerStatus.ACTIVE))
    year_start = date(today.year, 1, 1)

    # training: 18 courses across the year so far; most officers attend most (a few fall short of 60 hours)
    days = max(1, (today - year_start).days)
    atts = []
    for n, (title, provider, hours) in enumerate(COURSES):
        start = year_start + timedelta(days=int(days * n / len(COURSES)))
        end = start + timedelta(days=max(0, hours // 8 - 1))
        course = services.course_create(
            org=bureau,
            title=title,
            start_on=start,
            end_on=min(end, today),
            hours=hours,
            provider=provider,
            subject=title,
            place="郁南县交通运输局会议室",
            actor=None,
        )
        if n == 0:  # the first lecture's handout as its material
            _file(head, "course", course, f"{title}讲义.pdf", _plan_pdf(provider, f"{title}\n讲义"))
        for o in officers:
            if rng.random() < 0.85:
                atts.append(Attendance(course=course, officer=o, hours=Decimal(hours)))
    Attendance.objects.bulk_create(atts)

    # the question bank and one exam: most online (seeded papers), a few on paper, one absent
    for kind, stem, options, answer, law, article in QUESTIONS:
        services.question_add(
            kind=kind, stem=stem, options=options, answer=answer, law=law, article=article, actor=None
        )
    held = max(year_start, today - timedelta(days=30))
    exam = services.exam_create(
        org=bureau,
        title=f"{today.year} 年度行政执法人员学法考试",
        held_on=held,
        required=officers,
        question_count=10,
        minutes=45,
        actor=None,
    )
    keys = {q.pk: q.answer for q in Question.objects.all()}
    for n, o in enumerate(officers):
        if n == len(officers) - 1:
            continue  # absent: 参考率 below 100 %
        if n % 7 == 3:
            services.sitting_paper_record(
                exam=exam, officer=o, score=rng.choice([72, 85, 91, 96]), actor=None, on=_at(held, 9)
            )
            continue
        started = _at(held, 9 + n % 3)
        s = services.sitting_start(exam=exam, officer=o, actor=None, now=started, seed=rng.randrange(2**40))
        answers = {str(line["q"]): (keys[line["q"]] if rng.random() < 0.93 else []) for line in s.paper}
        services.sitting_submit(
            sitting=s, answers=answers, actor=None, now=started + timedelta(minutes=rng.randint(15, 40))
        )
    exam.open = False
    exam.save(update_fields=["open"])

    # equipment for each squad against the quota table; a few squads short of body cams
    services.kinds_ensure()
    kinds = {k.code: k for k in EquipmentKind.objects.all()}
    squads = list(Org.objects.filter(kind=OrgKind.SQUAD, path__startswith=bureau.path).order_by("path"))
    items = []
    for sq in squads:
        staff = [o for o in officers if o.org_id == sq.pk]
        plan = {
            "bodycam": max(1, len(staff) - (1 if sq == squads[-1] else 0)),
            "vehicle": 2,
            "vest": len(staff),
            "cone": 10,
            "terminal": (len(staff) + 1) // 2,
        }
        for code, count in plan.items():
            for i in range(count):
                holder = staff[i] if code in ("bodycam", "vest") and i < len(staff) else None
                items.append(
                    EquipmentItem(
                        kind=kinds[code],
                        serial=f"YN-{code.upper()}-{sq.pk:02d}-{i + 1:03d}",
                        org=sq,
                        holder=holder,
                        acquired_on=date(today.year - 2, 3, 1),
                    )
                )
    EquipmentItem.objects.bulk_create(items)

    # joint operations: three a month with the traffic police, partner outcomes apart
    ops = []
    for m in range(1, today.month + 1):
        for k in range(3):
            on = min(date(today.year, m, 5 + 9 * k), today)
            site, lat, lng = rng.choice(SITES)
            kind = rng.choice(["regular", "mobile", "mobile", "special", "cross"])
            staff = rng.randint(8, 24)
            checked = rng.randint(30, 140)
            ops.append(
                services.joint_create(
                    org=rng.choice(squads),
                    on=on,
                    kind=kind,
                    campaign="百日治超专项行动" if kind == "special" else "",
                    lead_agency=BUREAU if kind != "cross" else "云浮市交通运输局",
                    partners="郁南县公安局交警大队",
                    site=site,
                    lat=Decimal(str(lat)),
                    lng=Decimal(str(lng)),
                    staff=staff,
                    vehicles=rng.randint(2, 8),
                    checked=checked,
                    violations=rng.randint(0, checked // 10),
                    unloaded_kg=rng.randint(0, 60) * 1000,
                    cases_opened=rng.randint(0, 6),
                    actor=None,
                    partner_outcomes=[
                        {
                            "agency": "郁南县公安局交警大队",
                            "cases": rng.randint(0, 10),
                            "fines_fen": rng.randint(0, 50) * 20000,
                            "points": rng.randint(0, 40),
                        }
                    ],
                )
            )

    # body cams: checked out for the first operation, three clips of it linked to the device that recorded them
    linked = _clips(ops[0], squads, officers, head)

    # emergencies: 7 plans (S4), drills, standby fleets, a week of duty
    for n, name in enumerate(PLANS):
        approved = date(today.year - 1, 3 + n, 10)
        plan = services.plan_save(
            org=bureau,
            name=name,
            version=f"{today.year - 1} 修订版",
            approved_on=approved,
            review_due=today + timedelta(days=[-5, 20, 90, 200, 300, 400, 500][n]),
            actor=None,
        )
        _file(head, "plan", plan, f"{name}（{plan.version}）.pdf", _plan_pdf(bureau.name, str(plan)))
        if n < 2:
            services.drill_add(
                plan=plan,
                on=max(year_start, today - timedelta(days=60 * (n + 1))),
                participants=rng.randint(20, 60),
                findings="通讯联络不畅，已补充卫星电话",
                actor=None,
            )
    for kind, name, count, contact, phone, location in STANDBY:
        services.standby_add(
            org=bureau,
            kind=kind,
            name=name,
            count=count,
            contact=contact,
            phone=phone,
            location=location,
            actor=None,
        )
    for d in range(7):
        services.duty_add(
            org=bureau,
            on=today + timedelta(days=d),
            officer=officers[d % len(officers)],
            leader=d % 3 == 0,
            phone="0766-7500000",
            actor=None,
        )

    # risk ledger: ~20 tasks, most done (some late), some open and overdue
    for n, title in enumerate(RISKS[: max(10, round(len(RISKS) * min(scale, 1)))]):
        site, lat, lng = SITES[n % len(SITES)]
        deadline = year_start + timedelta(days=int(days * (n + 1) / len(RISKS)) + 20)
        task = services.risk_create(
            org=bureau,
            title=title,
            deadline=deadline,
            location=site,
            responsibility="牵头：县交通运输局；配合：属地镇政府、公安交警",
            tasks="排查、整改、验收",
            lat=Decimal(str(lat + rng.uniform(-0.02, 0.02))).quantize(Decimal("0.000001")),
            lng=Decimal(str(lng + rng.uniform(-0.02, 0.02))).quantize(Decimal("0.000001")),
            actor=None,
        )
        if deadline < today - timedelta(days=10) and n % 6:
            done = deadline - timedelta(days=rng.randint(-5, 15))
            services.risk_progress(
                task=task, on=min(done, today), note="整改完成并验收", status="done", actor=None
            )
        elif deadline < today + timedelta(days=60):
            services.risk_progress(
                task=task, on=min(deadline, today), note="已完成排查，正在整改", actor=None
            )
    pufa = _pufa(bureau, today, head)
    return (
        f"{pufa}，培训 {len(COURSES)} 期，学法考试 1 场（应考 {len(officers)} 人），装备 {len(items)} 件，"
        f"联合执法 {len(ops)} 次，应急预案 {len(PLANS)} 部，风险任务 {min(len(RISKS), max(10, round(len(RISKS) * min(scale, 1))))} 项，"
        f"执法记录仪关联证据 {linked} 件"
    )


QUESTIONS = [
    (
        "single",
        "行政执法全过程记录的法律依据是？",
        ["行政处罚法第四十七条", "道路运输条例第十条", "公路法第一条"],
        [0],
        "《中华人民共和国行政处罚法》",
        "第四十七条",
    ),
    (
        "multiple",
        "行政处罚决定书应当载明哪些事项？",
        ["当事人姓名或者名称", "违法事实和证据", "处罚依据", "执法人员籍贯"],
        [0, 1, 2],
        "《中华人民共和国行政处罚法》",
        "第五十九条",
    ),
    ("tf", "执法人员不得少于两人。", [], [0], "《中华人民共和国行政处罚法》", "第四十二条"),
    (
        "single",
        "普通程序案件应当自立案之日起几日内作出决定？",
        ["30 日", "60 日", "90 日"],
        [2],
        "《中华人民共和国行政处罚法》",
        "第六十条",
    ),
    *EXTRA_QUESTIONS,
]


def _at(d: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hour, 0)))


def _clips(op, squads, officers, head) -> int:
    """Three short clips of a joint operation, each linked to the body cam that recorded it."""
    if head is None:
        return 0
    cams = list(EquipmentItem.objects.filter(kind__code="bodycam", org=op.org, holder__isnull=False)[:3])
    for n, cam in enumerate(cams):
        services.item_check_out(item=cam, officer=cam.holder, actor=None, at=_at(op.on, 8))
        item = evidence_ingest(
            io.BytesIO(b"\x00\x00\x00\x18ftypmp42" + bytes([n]) * 2048),
            filename=f"执法记录仪-{cam.serial}.mp4",
            content_type="video/mp4",
            target_type="people.jointoperation",
            target_id=op.pk,
            step="现场检查",
            org=op.org,
            actor=head,
            description="联合执法现场执法记录仪视频",
        )
        services.bodycam_link(evidence=item, serial=cam.serial, actor=head, recorded_at=_at(op.on, 10))
        services.item_check_in(item=cam, actor=None, at=_at(op.on, 17))
    return len(cams)


def _file(head, kind: str, record, filename: str, data: bytes) -> None:
    """A demo record's file in the evidence store, as the head would upload it on the record's page."""
    if head is None:
        return
    evidence_ingest(
        io.BytesIO(data),
        filename=filename,
        content_type="application/pdf" if filename.endswith(".pdf") else "image/png",
        target_type=KINDS[kind].target,
        target_id=record.pk,
        step=KINDS[kind].step,
        org=target_org(KINDS[kind].target, record.pk, default=head.org),  # under the uploader's unit
        actor=head,
        description=str(record),
    )


def _plan_pdf(unit: str, title: str) -> bytes:
    """A one-page plan document (the 预案文本 cover), drawn with the vendored CJK font."""
    from fpdf import FPDF

    from zhifa.permits.certificates import FONT

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("wqy", "", str(FONT))
    pdf.set_font("wqy", size=18)
    pdf.multi_cell(0, 12, f"{unit}\n{title}\n（演示数据）", align="C")
    return bytes(pdf.output())


def _png(n: int, width: int = 64, height: int = 48) -> bytes:
    """A small solid-colour PNG (an activity photo's stand-in), written with the standard library."""
    import struct
    import zlib

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    pixel = bytes([(60 * n + 40) % 256, 120, 200 - 40 * n])
    raw = b"".join(b"\x00" + pixel * width for _ in range(height))
    head = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


PUFA_DUTIES = [
    ("duty", "向道路运输企业宣传《道路运输条例》及治超法规", "第一中队"),
    ("duty", "在执法检查中向当事人释法说理", "各中队"),
    ("duty", "在客运站、码头开展交通安全法规宣传", "第二中队"),
    ("key_point", "开展“八五”普法总结验收", "大队法制组"),
    ("key_point", "组织“宪法宣传周”交通运输专场活动", "大队综合组"),
]
PUFA_ACTIVITIES = [
    ("进企业宣讲", "都城镇物流园", "货运驾驶员", 60),
    ("发放宣传资料", "郁南汽车站", "旅客", 400),
    ("法律咨询", "南江口码头", "船员和群众", 60),
]


def _pufa(bureau, today: date, head) -> str:
    """The 普法 list and activities of the year (seed 001: 3 events, 400+ leaflets, 60+ consultations) and, when
    the demo has closed cases, one 以案释法."""
    from zhifa.cases.enums import FINAL_STATES
    from zhifa.cases.models import Case

    for kind, content, owner in PUFA_DUTIES:
        services.pufa_item_add(
            org=bureau, year=today.year, kind=kind, content=content, owner=owner, actor=None
        )
    for n, (form, place, audience, count) in enumerate(PUFA_ACTIVITIES):
        on = max(date(today.year, 1, 1), today - timedelta(days=40 * (n + 1)))
        activity = services.pufa_activity_add(
            org=bureau, on=on, place=place, form=form, audience=audience, count=count, actor=None
        )
        _file(head, "activity", activity, f"{form}现场照片.png", _png(n))
    case = (
        Case.objects.filter(state__in=FINAL_STATES, org__path__startswith=bureau.path).order_by("pk").first()
    )
    if case is not None and head is not None:
        story = services.case_story_create(
            case=case,
            actor=head,
            on=today,
            lesson=f"本案依据{case.penalty_article or case.violated_article or '相关规定'}处理，提醒经营者依法经营。",
        )
        services.case_story_publish(story=story, publish=True, actor=head)  # on the portal's 以案释法
    return f"普法责任事项 {len(PUFA_DUTIES)} 项、活动 {len(PUFA_ACTIVITIES)} 次"

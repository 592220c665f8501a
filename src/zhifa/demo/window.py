"""Demo 行政许可 / 政务服务 window: a year of 郁南-sized applications (seed 001: 132 permits a year; ~150
applications at scale 1 over the catalogue), walked through the same services as a user's — 补正 for some,
one deemed acceptance, a head's extension, an excluded hearing, 超限运输 permits in their tiers, 告知承诺 with
post-checks (one false: 撤销 and a credit record), ratings with one 差评 called back and rectified. Only the
newest issued licences get their 电子证照 PDF (signing and drawing take about a second each), the older ones
were issued on paper before the platform."""

from __future__ import annotations

import random
from datetime import date, timedelta

from zhifa.accounts.models import Org, User
from zhifa.core.calendar import add_workdays, is_workday
from zhifa.permits import selectors, services
from zhifa.permits.enums import AppKind, Channel, State
from zhifa.permits.models import Application
from zhifa.registry.models import Enterprise, Vehicle

BUREAU = "郁南县交通运输局"
PER_SCALE = 150
WITH_PDF = 6  # newest issued licences with an 电子证照 PDF
ITEMS = [("dlhy", 35), ("yyz", 25), ("cxys", 15), ("wxba", 8), ("jpba", 4), ("hyzba", 3), ("kyz", 2)]


def _workday(d: date) -> date:
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def load_demo_window(*, seed: int, today: date, scale: float) -> str:
    rng = random.Random(f"window-{seed}")
    bureau = Org.objects.get(name=BUREAU)
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="head")
    reviewer = User.objects.get(username="reviewer")
    services.catalogue_seed(on=today - timedelta(days=400))
    companies = list(
        Enterprise.objects.filter(org__path__startswith=bureau.path, business_type="freight").order_by("pk")[
            :200
        ]
    ) or list(Enterprise.objects.filter(org__path__startswith=bureau.path)[:200])
    vehicles = list(Vehicle.objects.filter(org__path__startswith=bureau.path).order_by("pk")[:400])
    n = max(20, round(PER_SCALE * scale))
    start = today - timedelta(days=360)
    counts = {"申请": 0, "发证/办结": 0, "补正": 0, "告知承诺": 0, "差评整改": 0}
    issued = []
    specials = {0: "deemed", 1: "extend", 2: "hearing", 3: "false_pledge", 4: "bad_rating"}
    for i in range(n):
        code = rng.choices([c for c, _w in ITEMS], weights=[w for _c, w in ITEMS])[0]
        special = specials.get(i, "")
        if special in ("deemed", "extend", "hearing", "false_pledge"):
            code = "dlhy"
        received = _workday(start + timedelta(days=int(340 * i / n)))
        item = selectors.item_current(code, received)
        kw: dict = {}
        tier = ""
        if code == "yyz" and vehicles:
            v = rng.choice(vehicles)
            kw["holder"] = {"holder_plate": v.plate, "holder_plate_color": v.plate_color}
            applicant, uscc = (v.enterprise.name if v.enterprise else v.plate), ""
        else:
            ent = rng.choice(companies)
            applicant, uscc = ent.name, ent.uscc
        if item.tiers:
            tier = rng.choices([t[0] for t in item.tiers], weights=[6, 3, 1])[0]
        pledge = item.pledge_allowed and (special == "false_pledge" or rng.random() < 0.4)
        app = services.application_submit(
            actor=None if rng.random() < 0.3 else officer,
            org=bureau,
            item=item,
            channel=Channel.PORTAL if rng.random() < 0.3 else Channel.WINDOW,
            applicant=applicant,
            applicant_uscc=uscc,
            content=item.name,
            tier=tier,
            kind=AppKind.NEW,
            pledge=pledge,
            pledge_text="本单位承诺所填报信息及免交证明所涉事项真实、符合许可条件，愿承担不实承诺的法律责任。"
            if pledge
            else "",
            received_on=received,
            **kw,
        )
        counts["申请"] += 1
        counts["告知承诺"] += pledge
        accept_on = received
        if special == "deemed":
            accept_on = add_workdays(received, 7).date
        elif item.promised_days and rng.random() < 0.15:
            services.application_correction(
                app=app, actor=officer, on=received, items="营业执照副本复印件不清晰，请重新提交"
            )
            accept_on = add_workdays(received, rng.randint(1, 3)).date
            services.application_corrected(app=app, actor=None, on=accept_on)
            counts["补正"] += 1
        if accept_on > today:
            continue
        if rng.random() < 0.02 and not special:
            services.application_not_accept(
                app=app, actor=officer, on=accept_on, reason="申请事项不属于本机关职权范围"
            )
            continue
        services.application_accept(app=app, actor=officer, on=accept_on)
        app.refresh_from_db()
        if special == "extend":
            services.application_extend(
                app=app,
                actor=head,
                on=add_workdays(app.accepted_on, 15).date,
                reason="需实地核查停车场地和安全设施",
            )
        if special == "hearing":
            services.application_pause(
                app=app,
                actor=officer,
                kind="hearing",
                start=add_workdays(app.accepted_on, 6).date,
                end=add_workdays(app.accepted_on, 12).date,
                note="利害关系人申请听证",
            )
        days = item.promised_days
        if special == "extend":
            days = 25
        elif days and rng.random() < 0.7:
            days = rng.randint(max(0, days - 3), days)
        decided = add_workdays(app.accepted_on, days).date
        if special == "hearing":
            decided = services.decision_clock(app).due
        decided = max(decided, accept_on)
        if decided > today:
            continue
        grant = rng.random() > 0.03 or bool(special)
        reason = "" if grant else "不符合法定条件：停车场地不符合要求"
        # a 超限运输通行证 is valid for the trip: a few days (its 有效期至 is a 双公示 item)
        valid_to = decided + timedelta(days=rng.randint(3, 15)) if item.code == "cxys" else None
        services.application_decide(
            app=app, actor=officer, on=decided, grant=grant, today=today, reason=reason, valid_to=valid_to
        )
        app.refresh_from_db()
        if app.state == State.GRANTED:
            on = add_workdays(decided, rng.randint(0, 3)).date if item.promised_days else decided
            if on > today:
                continue
            issued.append((app, on))
        counts["发证/办结"] += app.state != State.ACCEPTED
    # the newest licences get their 电子证照; the older were issued on paper before the platform
    for k, (app, on) in enumerate(sorted(issued, key=lambda t: t[1])):
        pdf = k >= len(issued) - WITH_PDF
        services.application_issue(app=app, actor=officer, on=on, with_certificate=pdf)
    counts["发证/办结"] = Application.objects.filter(org=bureau, decided_on__isnull=False).count()
    # post-checks: the older pledges checked (one false), the newer stay on the due list for 双随机
    false_done = False
    for app in Application.objects.filter(
        org=bureau, pledge=True, postcheck_due__lte=today - timedelta(days=20), state=State.ISSUED
    ).order_by("received_on", "pk"):
        false, false_done = not false_done, True
        services.postcheck_record(
            app=app,
            actor=reviewer if false else officer,
            truthful=not false,
            on=min(today, app.postcheck_due + timedelta(days=3)),
            note="停车场地与承诺不符" if false else "实地核查，承诺属实",
        )
    # ratings: most completed services are rated; one 差评 called back and rectified
    bad_done = False
    for app in Application.objects.filter(org=bureau, state__in=services.DONE).order_by("received_on"):
        if rng.random() < 0.2:
            continue
        done_on = app.issued_on or app.decided_on or app.received_on
        bad = not bad_done and app.state == State.ISSUED
        r = services.rating_submit(
            app=app,
            grade=2 if bad else rng.choice([5, 5, 5, 4]),
            channel=app.channel,
            on=done_on,
            comment="窗口等候时间较长" if bad else "",
        )
        if bad:
            bad_done = True
            for entry, days, text in (
                ("callback", 1, "电话回访，说明高峰时段情况并致歉"),
                ("fix", 3, "增设取号提醒，高峰时段增开窗口"),
            ):
                on = add_workdays(done_on, days).date
                services.rating_record(rating=r, actor=officer, on=on, entry=entry, text=text)
            counts["差评整改"] += 1
    return "政务服务：" + "，".join(f"{k} {v} 件" for k, v in counts.items())

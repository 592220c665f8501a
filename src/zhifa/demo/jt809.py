"""Demo JT/T 809 history: two enterprise monitoring platforms of the demo county (one 2019, one 2011) with the
last 30 days of link sessions (a few disconnections), the daily random 查岗 drawn by the real draw
(core.draw through services.draw_plan) and answered in time, late or not at all, and 报警督办 on the
month's leads (closed in time, late, overdue). Deterministic for ``seed``; bulk-inserted (fast)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from zhifa.accounts.models import Org

DEMO_COUNTY = "郁南县交通运输局"
PLATFORMS = (
    # name, enterprise, access code, user id, password, version, vehicles
    ("顺安客运企业监控平台", "郁南县顺安客运有限公司", 44530001, 1001, "Zf809a", "2019", 24),
    ("粤通危货企业监控平台", "郁南县粤通危险货物运输有限公司", 44530002, 1002, "Zf809b", "2011", 12),
)


@dataclass
class Jt809DemoSummary:
    platforms: int
    sessions: int
    spotchecks: int
    supervisions: int

    def __str__(self) -> str:
        return f"下级平台 {self.platforms} 个，链路会话 {self.sessions} 段，查岗 {self.spotchecks} 次，报警督办 {self.supervisions} 件"


def load_demo_jt809(*, seed: int, today: date, scale: float) -> Jt809DemoSummary:
    from zhifa.monitoring.jt809.services import daily_secret, draw_plan
    from zhifa.monitoring.models import Jt809Platform, Jt809Session, SpotCheck, Supervision, ViolationLead

    county = Org.objects.filter(name=DEMO_COUNTY).first() or Org.objects.order_by("pk").first()
    rng = random.Random(seed * 809)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    start_day = today - timedelta(days=30)
    plats = []
    for name, ent, code, uid, pw, version, n in PLATFORMS:
        pl, _ = Jt809Platform.objects.update_or_create(
            center_id=code, defaults={"org": county, "name": name, "enterprise_name": ent, "user_id": uid, "password": pw,
                                      "version": version, "vehicles_expected": n})  # fmt: skip
        plats.append(pl)
    Jt809Session.objects.filter(platform__in=plats).delete()
    SpotCheck.objects.filter(platform__in=plats).delete()
    Supervision.objects.filter(platform__in=plats).delete()

    sessions = []
    for k, pl in enumerate(plats):
        t = datetime.combine(start_day, time(), tzinfo=tz)
        while t < now:
            up = timedelta(hours=rng.uniform(40, 160) if k == 0 else rng.uniform(20, 90))
            end = min(t + up, now - timedelta(minutes=5))
            if end <= t:
                break
            secs = (end - t).total_seconds()
            sessions.append(Jt809Session(platform=pl, peer_ip=f"10.44.53.{k + 11}", started_at=t, last_seen_at=end, ended_at=end,
                                         end_reason=rng.choice(["连接断开", "连接保持超时", "下级平台注销"]) if end < now - timedelta(minutes=6) else "演示数据截止",
                                         sub_link_ok=True, positions=int(pl.vehicles_expected * secs / 30 * 0.35)))  # fmt: skip
            t = end + timedelta(
                minutes=rng.choice([2, 5, 12, 30, 75]) if k == 0 else rng.choice([5, 20, 45, 120])
            )
    Jt809Session.objects.bulk_create(sessions)

    checks = []
    centers = {pl.center_id: pl for pl in plats}
    for d in range(30):
        day = start_day + timedelta(days=d)
        secret = daily_secret(county, day)
        for i, item in enumerate(
            draw_plan(secret, org_code=str(county.pk), day=day, center_ids=list(centers), n=2)
        ):
            sent = datetime.combine(day, time(), tzinfo=tz) + timedelta(seconds=item["second"])
            if sent > now:
                continue
            pl = centers[item["center_id"]]
            r = rng.random()
            delay = None if r < 0.06 else int(rng.uniform(30, 500) if r < 0.85 else rng.uniform(700, 2400))
            status = "unanswered" if delay is None else ("on_time" if delay <= 600 else "late")
            checks.append(SpotCheck(org=county, platform=pl, object_type=1, object_id=str(pl.center_id), question="请报告当前值班监控人员姓名及在岗情况",
                                    answer_seconds=600, scheduled=True, draw_ref=f"zhifa-spotcheck-v1:{county.pk}:{day.isoformat()}:{i + 1}/2",
                                    send_after=sent, status=status, sent_at=sent, serial=1000 + len(checks),
                                    answered_at=sent + timedelta(seconds=delay) if delay is not None else None,
                                    responder=rng.choice(["陈丽", "黄志强", "梁敏"]) if delay is not None and pl.version == "2019" else "",
                                    answer="值班监控人员在岗，车辆运行正常" if delay is not None else "", delay_s=delay))  # fmt: skip
    SpotCheck.objects.bulk_create(checks)
    for c in checks:  # the record's 发起时间 is when it was sent (auto_now_add set it to now)
        c.created_at = c.sent_at
    SpotCheck.objects.bulk_update(checks, ["created_at"])

    leads = list(ViolationLead.objects.filter(org__path__startswith=county.path).order_by("start_at")[:8])
    sups = []
    for i in range(8):
        pl = plats[i % 2]
        outcome = ("done", "done", "done", "late", "done", "overdue", "in_progress", "done")[i]
        # the overdue one is on a reported alarm (an overdue lead would have become a case source)
        lead = leads[i] if i < len(leads) and outcome != "overdue" else None
        sent = datetime.combine(start_day + timedelta(days=3 + 3 * i), time(9, 30), tzinfo=tz)
        deadline = sent + timedelta(days=2)
        closed = (
            sent + timedelta(hours=rng.uniform(3, 40))
            if outcome == "done"
            else (deadline + timedelta(hours=6) if outcome == "late" else None)
        )
        if deadline > now and outcome in ("overdue", "late"):
            outcome, closed = "in_progress", None
        sups.append(Supervision(org=county, platform=pl, lead=lead, plate=lead.plate if lead else f"粤W{88001 + i}",
                                plate_color=lead.plate_color if lead else "yellow", warn_src=3 if lead else 2,
                                warn_type=1, warn_time=lead.start_at if lead else sent - timedelta(hours=2), level=i % 2,
                                deadline=deadline, detail=(f"{lead.type_label}：{lead.detail}" if lead else "车辆超速报警")[:300],
                                status="done" if outcome in ("done", "late") else outcome, sent_at=sent, serial=5000 + i,
                                replied_at=closed or (sent + timedelta(hours=1) if outcome == "in_progress" else None), closed_at=closed,
                                escalated="已提醒督办人" if outcome == "overdue" else ""))  # fmt: skip
    Supervision.objects.bulk_create(sups)
    return Jt809DemoSummary(len(plats), len(sessions), len(checks), len(sups))

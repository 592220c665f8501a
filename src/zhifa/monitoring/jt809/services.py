"""JT/T 809 writes: the peers the server admits, the server's database side (:class:`DbBackend`), 查岗
(sent by an officer or drawn at random, verifiably) and 报警督办 (from a lead or a reported alarm; overdue →
the lead's next step through the cases seam).

Rules (operations-reporting.md §6):
- 查岗 is answered in time when the 0x1301 arrives within the answer time from the sending of the 0x9301
  (平台查岗响应率 = answered in time ÷ sent). Replies match on the request's serial (2019 SourceMsgSn) or
  its InfoID (2011, echoed in the 2011 ACK), else on the platform's oldest open 查岗 of the same object.
  The answer time is the officer's choice (default ``ZHIFA_JT809_ANSWER_MINUTES``; the national limit is
  UNCONFIRMED, enforcement-tech.md §2.3).
- 督办 is closed on time when 0x1401 / 0x1411 / 0x1412 with result 1 (已处理完毕) arrives before the
  deadline; other results (处理中, 不做处理, 将来处理) are recorded and keep it open. Unanswered or unclosed at
  the deadline → overdue: a lead goes on to a case source (cases.services.case_source_create, the named
  entry point), an alarm's 督办 is notified to the officer who sent it.
"""

from __future__ import annotations

import hmac
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.models import Org, User
from zhifa.core.audit import audit_record
from zhifa.core.draw import Stream, canonical, sm3
from zhifa.core.identifiers import normalise_plate, parse_plate_color
from zhifa.notifications.kinds import declare

from ..errors import MonitoringError
from ..models import (
    Jt809Alarm,
    Jt809LinkReport,
    Jt809Platform,
    Jt809Session,
    LeadStatus,
    SpotCheck,
    SpotCheckStatus,
    Supervision,
    SupervisionStatus,
    ViolationLead,
)
from ..permissions import require_business_role, require_within
from . import protocol as p
from .server import Backend, Outbound, Peer

KIND_OVERDUE = declare("monitoring.supervision_overdue", "报警督办逾期未办结")
DRAW_ALGORITHM = "zhifa-spotcheck-v1"
RESULT_STATUS = {
    0: SupervisionStatus.IN_PROGRESS,
    1: SupervisionStatus.DONE,
    2: SupervisionStatus.REFUSED,
    3: SupervisionStatus.LATER,
}


def answer_minutes_default() -> int:
    return int(settings.JT809_ANSWER_MINUTES)


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.get_current_timezone())


def load_peers() -> dict[int, Peer]:
    out = {}
    for pl in Jt809Platform.objects.filter(active=True):
        crypto = (
            p.Crypto(pl.m1, pl.ia1, pl.ic1) if pl.m1 and pl.ia1 is not None and pl.ic1 is not None else None
        )
        out[pl.center_id] = Peer(pl.pk, pl.name, pl.center_id, pl.user_id, pl.password, pl.version,
                                 frozenset(pl.ip_list()), crypto)  # fmt: skip
    return out


# --- 查岗 ---------------------------------------------------------------------------------------------


def _check_seconds(seconds) -> int:
    try:
        s = int(seconds)
    except (TypeError, ValueError):
        s = 0
    if not 1 <= s <= 255 * 60:  # 2019 AnswerTime is one byte (minutes, UNCONFIRMED unit)
        raise MonitoringError.JT809.error(detail=f"应答时限应为 1 秒至 255 分钟，实为“{seconds}”秒")
    return s


@transaction.atomic
def spotcheck_send(
    *, actor: User | None, platforms: list[Jt809Platform], question: str, answer_seconds: int | None = None,
    object_type: int = 1, object_id: str = "", send_after: datetime | None = None, draw_ref: str = "",
) -> list[SpotCheck]:  # fmt: skip
    """Queue a 查岗 to each platform; the server sends it when the platform is connected."""
    require_business_role(actor)
    question = (question or "").strip()
    if not question:
        raise MonitoringError.JT809.error(detail="请填写查岗问题")
    if len(question.encode("gbk", "replace")) > 500:
        raise MonitoringError.JT809.error(detail="查岗问题过长（最多 250 个汉字）")
    if not platforms:
        raise MonitoringError.JT809.error(detail="请选择至少一个下级平台")
    if object_type not in p.SPOTCHECK_OBJECTS:
        raise MonitoringError.JT809.error(detail=f"查岗对象类型应为 1、2 或 3，实为“{object_type}”")
    seconds = _check_seconds(answer_seconds if answer_seconds is not None else answer_minutes_default() * 60)
    out = []
    for pl in platforms:
        require_within(actor, pl.org, "该下级平台")
        sc = SpotCheck.objects.create(
            org=actor.org if actor is not None and actor.org_id else pl.org, platform=pl, object_type=object_type,
            object_id=object_id or str(pl.center_id), question=question, answer_seconds=seconds,
            scheduled=bool(draw_ref), draw_ref=draw_ref, send_after=send_after, created_by=actor,
        )  # fmt: skip
        out.append(sc)
    audit_record(action="monitoring.jt809_spotcheck", actor=actor, target=out[0],
                 after={"platforms": [pl.pk for pl in platforms], "answer_seconds": seconds, "scheduled": bool(draw_ref)})  # fmt: skip
    return out


def daily_secret(org: Org, day: date) -> bytes:
    """The bureau's secret of one day's draw: derived from the site key, published (on the 查岗 page) once
    the day is over, so anyone can replay the draw; its SM3 commitment is on every drawn 查岗 before."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"jt809-spotcheck:{org.pk}:{day.isoformat()}".encode(), "sha256"
    ).digest()


def draw_plan(secret: bytes, *, org_code: str, day: date, center_ids: list[int], n: int,
              start_hour: int = 8, end_hour: int = 20) -> list[dict]:  # fmt: skip
    """The verifiable draw of one day's random 查岗 (pure): seed = SM3(canonical inputs ‖ secret); each
    check takes a platform (uniform, with replacement) and a second of the working window, from the
    counter-mode SM3 stream of core.draw."""
    inputs = {"algorithm": DRAW_ALGORITHM, "org": org_code, "day": day.isoformat(), "platforms": sorted(center_ids),
              "n": n, "window": [start_hour, end_hour]}  # fmt: skip
    seed = sm3(canonical(inputs) + secret)
    s = Stream(seed, "jt809-spotcheck")
    plats = sorted(center_ids)
    span = (end_hour - start_hour) * 3600
    out = [
        {"center_id": plats[s.below(len(plats))], "second": start_hour * 3600 + s.below(span)}
        for _ in range(n)
    ]
    return sorted(out, key=lambda x: (x["second"], x["center_id"]))


@transaction.atomic
def spotcheck_draw(*, org: Org, day: date, n: int, actor: User | None = None, question: str = "",
                   answer_seconds: int | None = None) -> list[SpotCheck]:  # fmt: skip
    """Draw ``n`` random 查岗 for ``day`` among the active platforms of ``org``'s jurisdiction; idempotent
    per unit and day (a second call returns the first draw)."""
    from zhifa.accounts.selectors import jurisdiction_of

    tag = f"{DRAW_ALGORITHM}:{org.pk}:{day.isoformat()}"
    existing = list(SpotCheck.objects.filter(draw_ref__startswith=tag).order_by("pk"))
    if existing:
        return existing
    if not 1 <= n <= 50:
        raise MonitoringError.JT809.error(detail=f"每日随机查岗次数应为 1–50，实为 {n}")
    root = jurisdiction_of(org)
    plats = {
        pl.center_id: pl for pl in Jt809Platform.objects.filter(active=True, org__path__startswith=root.path)
    }
    if not plats:
        raise MonitoringError.JT809.error(detail="本辖区没有启用的下级平台")
    secret = daily_secret(org, day)
    commit = sm3(secret).hex()[:16]
    plan = draw_plan(secret, org_code=str(org.pk), day=day, center_ids=list(plats), n=n)
    tz = timezone.get_current_timezone()
    out = []
    for i, item in enumerate(plan):
        at = datetime.combine(day, time(), tzinfo=tz) + timedelta(seconds=item["second"])
        out += spotcheck_send(
            actor=actor, platforms=[plats[item["center_id"]]],
            question=question or "请报告当前值班监控人员姓名及在岗情况", answer_seconds=answer_seconds,
            send_after=at, draw_ref=f"{tag}:{i + 1}/{n}:commit={commit}",
        )  # fmt: skip
    return out


def spotcheck_judge(sc: SpotCheck, answered_at: datetime) -> None:
    start = sc.sent_at or sc.created_at
    sc.delay_s = max(0, int((answered_at - start).total_seconds()))
    sc.status = SpotCheckStatus.ON_TIME if sc.delay_s <= sc.answer_seconds else SpotCheckStatus.LATE


def spotcheck_sweep(now: datetime | None = None) -> int:
    """Mark 查岗 whose answer time has run out without an answer (sent or never delivered) unanswered."""
    now = now or timezone.now()
    n = 0
    for sc in SpotCheck.objects.filter(status__in=[SpotCheckStatus.QUEUED, SpotCheckStatus.SENT]):
        start = sc.sent_at or sc.send_after or sc.created_at
        if now > start + timedelta(seconds=sc.answer_seconds):
            sc.status = SpotCheckStatus.UNANSWERED
            sc.save(update_fields=["status"])
            n += 1
    return n


# --- 报警督办 -------------------------------------------------------------------------------------------


@transaction.atomic
def supervision_create(
    *, actor: User | None, platform: Jt809Platform, deadline: datetime, level: int = 1,
    lead: ViolationLead | None = None, alarm: Jt809Alarm | None = None, detail: str = "",
) -> Supervision:  # fmt: skip
    require_business_role(actor)
    require_within(actor, platform.org, "该下级平台")
    if level not in p.SUPERVISION_LEVELS:
        raise MonitoringError.JT809.error(detail=f"督办级别应为 0（紧急）或 1（一般），实为“{level}”")
    if deadline <= timezone.now():
        raise MonitoringError.JT809.error(detail="督办截止时间应晚于现在")
    if lead is not None:
        require_within(actor, lead.org, "该线索")
        plate, color, when = lead.plate, lead.plate_color, lead.start_at
        detail = detail or f"{lead.type_label}：{lead.detail}"
    elif alarm is not None:
        plate, color, when = alarm.plate, alarm.plate_color, alarm.warn_time
        detail = detail or alarm.content
    else:
        raise MonitoringError.JT809.error(detail="督办须针对一条违规线索或一条平台上报的报警")
    sv = Supervision.objects.create(
        org=actor.org if actor is not None and actor.org_id else platform.org, platform=platform, lead=lead,
        alarm=alarm, plate=plate, plate_color=color, warn_src=3 if lead else 2, warn_time=when, level=level,
        deadline=deadline, detail=detail[:300], created_by=actor,
    )  # fmt: skip
    audit_record(action="monitoring.jt809_supervision", actor=actor, target=sv,
                 after={"platform": platform.pk, "deadline": deadline.isoformat(), "level": level, "lead": lead.pk if lead else None})  # fmt: skip
    return sv


def _escalate(sv: Supervision) -> str:
    lead = sv.lead
    if lead is not None and lead.status in (LeadStatus.PENDING, LeadStatus.NOTICE):
        from zhifa.cases.services import case_source_create

        subject = lead.vehicle.enterprise if lead.vehicle and lead.vehicle.enterprise else lead.vehicle
        src, _ = case_source_create(
            origin="monitoring", org=lead.org, actor=None, subject=subject, occurred_at=lead.start_at,
            external_ref=f"monitoring:{lead.plate}:{lead.plate_color}:{lead.type}:{int(lead.start_at.timestamp())}",
            facts=(f"动态监控发现 {lead.plate} {lead.type_label}：{lead.detail}。已向 {sv.platform.name} 下发报警督办，"
                   f"截止 {timezone.localtime(sv.deadline):%Y-%m-%d %H:%M} 未办结。"),
            proposed={"monitoring_lead": lead.pk, "type": lead.type, "supervision": sv.pk},
        )  # fmt: skip
        lead.status = LeadStatus.CASE
        lead.case_source_id = src.pk
        lead.save(update_fields=["status", "case_source_id"])
        return f"已转案源（案源 {src.pk}）"
    if sv.created_by_id:
        from zhifa.notifications.services import notify

        notify(users=[sv.created_by_id], kind=KIND_OVERDUE, title=f"报警督办逾期未办结：{sv.plate}",
               body=f"{sv.platform.name} 未在 {timezone.localtime(sv.deadline):%Y-%m-%d %H:%M} 前办结", link="/monitoring/jt809/supervisions/",
               key=f"jt809-overdue-{sv.pk}")  # fmt: skip
        return "已提醒督办人"
    return "逾期"


def supervision_sweep(now: datetime | None = None) -> int:
    """Overdue 督办 (not closed by the deadline) → the next step."""
    now = now or timezone.now()
    n = 0
    open_states = [
        SupervisionStatus.QUEUED,
        SupervisionStatus.SENT,
        SupervisionStatus.IN_PROGRESS,
        SupervisionStatus.LATER,
    ]
    for sv in Supervision.objects.filter(status__in=open_states, deadline__lt=now).select_related(
        "lead", "platform"
    ):
        with transaction.atomic():
            sv.escalated = _escalate(sv)
            sv.status = SupervisionStatus.OVERDUE
            sv.save(update_fields=["status", "escalated"])
            audit_record(
                action="monitoring.jt809_overdue", actor=None, target=sv, after={"escalated": sv.escalated}
            )
        n += 1
    return n


# --- the server's database side ----------------------------------------------------------------------


class DbBackend(Backend):
    def recover(self, now: float) -> int:
        """Sessions a dead server left open end at their last frame seen: the gap shows in the statistics."""
        n = 0
        for s in Jt809Session.objects.filter(ended_at__isnull=True):
            s.ended_at = s.last_seen_at
            s.end_reason = "上级平台服务异常中断"
            s.save(update_fields=["ended_at", "end_reason"])
            n += 1
        return n

    def session_open(self, peer: Peer, ip: str, now: float) -> int:
        t = _aware(now)
        return Jt809Session.objects.create(
            platform_id=peer.platform_id, peer_ip=ip, started_at=t, last_seen_at=t
        ).pk

    def session_seen(self, updates: dict[int, tuple[float, int]]) -> None:
        for sid, (seen, positions) in updates.items():
            Jt809Session.objects.filter(pk=sid, ended_at__isnull=True).update(
                last_seen_at=_aware(seen), positions=positions
            )

    def session_close(self, sid: int, reason: str, now: float, positions: int) -> None:
        t = _aware(now)
        Jt809Session.objects.filter(pk=sid).update(
            ended_at=t, last_seen_at=t, end_reason=reason[:100], positions=positions
        )

    def sub_link(self, sid: int, ok: bool) -> None:
        Jt809Session.objects.filter(pk=sid).update(sub_link_ok=ok)

    def outbound(self, center_ids: list[int]) -> list[Outbound]:
        now = timezone.now()
        out = []
        checks = SpotCheck.objects.filter(
            status=SpotCheckStatus.QUEUED, platform__center_id__in=center_ids
        ).select_related("platform")
        for sc in checks:
            if sc.send_after and sc.send_after > now:
                continue
            if now > (sc.send_after or sc.created_at) + timedelta(seconds=sc.answer_seconds):
                continue  # its time ran out while the platform was away: the sweep marks it unanswered
            out.append(Outbound("spotcheck", sc.pk, sc.platform.center_id, 0x9300, {
                "data_type": 0x9301, "object_type": sc.object_type, "object_id": sc.object_id[:12] if sc.platform.version == "2011" else sc.object_id,
                "answer_time": min(255, -(-sc.answer_seconds // 60)), "info_id": sc.pk, "content": sc.question}))  # fmt: skip
        sups = Supervision.objects.filter(
            status=SupervisionStatus.QUEUED, platform__center_id__in=center_ids
        ).select_related("platform")
        for sv in sups:
            try:
                code = _color_code(sv.plate_color)
            except ValueError:
                code = 9
            out.append(Outbound("supervision", sv.pk, sv.platform.center_id, 0x9400, {
                "vehicle_no": sv.plate, "vehicle_color": code, "data_type": 0x9401, "warn_src": sv.warn_src,
                "warn_type": sv.warn_type, "warn_time": int(sv.warn_time.timestamp()), "supervision_id": sv.pk,
                "deadline": int(sv.deadline.timestamp()), "level": sv.level,
                "supervisor": (sv.created_by.get_full_name() if sv.created_by else "")[:8]}))  # fmt: skip
        return out

    def sent(self, kind: str, pk: int, serial: int, now: float) -> None:
        model = SpotCheck if kind == "spotcheck" else Supervision
        model.objects.filter(pk=pk).update(status="sent", sent_at=_aware(now), serial=serial)

    @transaction.atomic
    def spotcheck_ack(self, peer: Peer, f: dict, now: float) -> None:
        qs = SpotCheck.objects.select_for_update().filter(platform_id=peer.platform_id, sent_at__isnull=False)
        sc = None
        if "source_sn" in f:
            sc = qs.filter(serial=f["source_sn"]).first()
        elif f.get("info_id"):
            sc = qs.filter(pk=f["info_id"]).first()
        if sc is None:  # 2011 without a usable InfoID: the oldest open 查岗 of that object
            sc = (
                qs.filter(answered_at__isnull=True, object_id=f.get("object_id", ""))
                .order_by("sent_at")
                .first()
            )
        if sc is None or sc.answered_at is not None:
            return
        t = _aware(now)
        sc.answered_at = t
        sc.responder = f.get("responder", "")[:40]
        sc.responder_tel = f.get("responder_tel", "")[:40]
        sc.answer = f.get("content", "")[:1000]
        spotcheck_judge(sc, t)
        sc.save()

    @transaction.atomic
    def supervision_ack(self, peer: Peer, sub: int, f: dict, now: float) -> None:
        qs = Supervision.objects.select_for_update().filter(
            platform_id=peer.platform_id, sent_at__isnull=False
        )
        sv = (
            qs.filter(pk=f["supervision_id"]).first()
            if sub == 0x1401
            else qs.filter(serial=f["source_sn"]).first()
        )
        if sv is None or sv.status in (SupervisionStatus.DONE, SupervisionStatus.OVERDUE):
            return
        t = _aware(now)
        sv.replied_at = t
        sv.status = RESULT_STATUS.get(f["result"], SupervisionStatus.IN_PROGRESS)
        if sv.status == SupervisionStatus.DONE:
            sv.closed_at = t
        sv.save()

    def alarm(self, peer: Peer, f: dict, now: float) -> None:
        try:
            plate = normalise_plate(f.get("vehicle_no", ""))
            color = parse_plate_color(f.get("vehicle_color", 9), code_set="jtt697").value
        except ValueError:
            plate, color = f.get("vehicle_no", "")[:21], ""
        Jt809Alarm.objects.create(platform_id=peer.platform_id, plate=plate, plate_color=color, warn_type=f["warn_type"],
                                  warn_time=_aware(f["warn_time"]), content=f.get("content", "")[:500])  # fmt: skip

    def link_report(self, peer: Peer, f: dict) -> None:
        Jt809LinkReport.objects.create(platform_id=peer.platform_id, start=_aware(f["start"]), end=_aware(f["end"]),
                                       lost=f["lost"], disconnects=f["disconnects"], disconnect_s=f["disconnect_s"])  # fmt: skip


def _color_code(color: str) -> int:
    from zhifa.core.identifiers import plate_color_code

    return plate_color_code(color, "jtt697") or 9

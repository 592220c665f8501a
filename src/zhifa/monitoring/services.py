"""Writes of the monitoring domain: terminal bindings, monthly runs (KPIs + violation leads), lead review,
positions received over the API. Every write is audited in its transaction."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import jurisdiction_of
from zhifa.core.audit import audit_record
from zhifa.core.identifiers import PlateColor
from zhifa.registry.models import Vehicle

from . import engine as eng
from .errors import MonitoringError
from .models import LeadStatus, MonthlyRun, NightExemption, Terminal, ViolationLead
from .permissions import in_jurisdiction, require_business_role, require_within
from .rules import rules_for
from .store import IngestResult, Store, month_bounds, vehicle_key
from .zone_services import zones_in_force  # 路段限速

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    if not MONTH_RE.match(month or ""):
        raise MonitoringError.MONTH.error(value=month)
    return month


@transaction.atomic
def terminal_bind(*, terminal_no: str, vehicle: Vehicle, actor: User | None, auth_code: str = "") -> Terminal:
    """Bind a terminal number to a vehicle (re-binding moves it); returns the binding with its auth code.

    An actor moves only terminals bound within their jurisdiction: a terminal bound to another unit's
    vehicle is refused without naming that unit (the system itself, ``actor=None``, may move any)."""
    require_business_role(actor)
    require_within(actor, vehicle.org, "该车辆")
    number = (terminal_no or "").strip().lstrip("0") or ""
    if not number.isdigit() or len(number) > 20:
        raise MonitoringError.TERMINAL.error(
            detail="终端手机号应为不超过20位的数字", fields={"terminal_no": "格式错误"}
        )
    t = Terminal.objects.select_for_update().filter(terminal_no=number).select_related("vehicle__org").first()
    if t is not None and actor is not None and not in_jurisdiction(actor, t.vehicle.org):
        raise MonitoringError.TERMINAL_TAKEN.error(terminal_no=number, fields={"terminal_no": "已被占用"})
    before = {"vehicle": t.vehicle_id} if t else None
    if t is None:
        t = Terminal(terminal_no=number)
    t.vehicle = vehicle
    t.org = jurisdiction_of(vehicle.org)
    t.auth_code = auth_code or t.auth_code or secrets.token_hex(8)
    t.active = True
    t.save()
    audit_record(
        action="monitoring.terminal_bind",
        actor=actor,
        target=t,
        before=before,
        after={"terminal_no": number, "vehicle": vehicle.pk},
    )
    return t


def vehicles_for(org: Org, *, month: str, rules, store: Store) -> list[eng.VehicleInfo]:
    """应入网 vehicles of ``org``'s jurisdiction (types from the rules), plus the other vehicles of the
    jurisdiction known to the registry (not required)."""
    root = jurisdiction_of(org)
    required = {t.strip() for t in str(rules.required_types).split(",") if t.strip()}
    start = date.fromisoformat(month + "-01")
    s, e = month_bounds(month)
    end = datetime.fromtimestamp(e - 1, tz=UTC).date()
    exempt = set(
        NightExemption.objects.filter(valid_from__lte=end, valid_to__gte=start).values_list(
            "vehicle_id", flat=True
        )
    )
    before = store.networked_before(month)
    out = []
    qs = Vehicle.objects.filter(
        org__path__startswith=root.path, vehicle_type__in=required, status="active"
    ).select_related("enterprise", "org")
    counties: dict[int, str] = {}
    for v in qs:
        if v.org_id not in counties:
            counties[v.org_id] = jurisdiction_of(v.org).name
        out.append(
            eng.VehicleInfo(
                v.plate,
                v.plate_color,
                v.vehicle_type,
                v.enterprise.name if v.enterprise else "",
                counties[v.org_id],
                1,
                int(v.pk in exempt),
                int((v.plate, v.plate_color) in before),
            )
        )
    return out


def kpi_dir(org: Org, month: str) -> Path:
    return Path(settings.DATA_DIR) / "monitoring" / "kpi" / f"org-{org.pk}" / month


def monthly_run_check(*, org: Org, month: str, actor: User | None, engine: str) -> None:
    """The refusals of a monthly run that need no data (role, unit, month, engine): a page asks before it
    queues the run as a background job."""
    require_business_role(actor)
    require_within(actor, org, "该单位")
    check_month(month)
    if engine not in ("duckdb", "spark"):
        raise MonitoringError.ENGINE.error(value=engine)


@transaction.atomic
def monthly_run(
    *,
    org: Org,
    month: str,
    actor: User | None,
    engine: str = "duckdb",
    store: Store | None = None,
    spark=None,
) -> MonthlyRun:
    """Compute the month's KPIs and violations for ``org``'s jurisdiction; re-runnable (same month
    replaces the run, leads are kept and matched on plate, colour, type and start)."""
    monthly_run_check(org=org, month=month, actor=actor, engine=engine)
    org = jurisdiction_of(org)
    store = store or Store()
    rules = rules_for(date.fromisoformat(month + "-01"))
    vehicles = vehicles_for(org, month=month, rules=rules, store=store)
    files = [str(f) for f in store.month_files(month)]
    zones = zones_in_force(org, month=month)
    res = eng.compute(files, vehicles, rules, month=month, engine=engine, spark=spark, zones=zones)
    out = kpi_dir(org, month)
    eng.write_outputs(res, out)
    store.save_online(month, [(v["plate"], v["plate_color"]) for v in res.vehicles if v["online"]])
    run, _ = MonthlyRun.objects.update_or_create(
        org=org,
        month=month,
        defaults={
            "engine": engine,
            "summary": dict(res.summary, counties=res.counties),
            "enterprises": res.enterprises,
            "out_dir": str(out),
            "created_by": actor.get_username() if actor else "系统",
        },
    )
    by_key = {
        (v.plate, v.plate_color): v
        for v in Vehicle.objects.filter(org__path__startswith=org.path).select_related("enterprise")
    }
    created = 0
    for v in res.violations:
        veh = by_key.get((v["plate"], v["plate_color"]))
        start_at = datetime.fromtimestamp(v["start_ts"], tz=UTC)
        _, new = ViolationLead.objects.get_or_create(
            plate=v["plate"],
            plate_color=v["plate_color"],
            type=v["type"],
            start_at=start_at,
            defaults={
                "run": run,
                "org": org,
                "vehicle": veh,
                "enterprise_name": veh.enterprise.name if veh and veh.enterprise else "",
                "end_at": datetime.fromtimestamp(v["end_ts"], tz=UTC),
                "duration_s": v["duration_s"],
                "max_speed_kmh": v["max_speed_kmh"],
                "detail": v["detail"][:300],
            },
        )
        created += int(new)
    audit_record(
        action="monitoring.monthly_run",
        actor=actor,
        target=run,
        detail={
            "month": month,
            "engine": engine,
            "violations": len(res.violations),
            "new_leads": created,
            "rates": res.summary["rates"],
        },
    )
    return run


DECISIONS = {"notice": LeadStatus.NOTICE, "case": LeadStatus.CASE, "dismiss": LeadStatus.DISMISSED}


@transaction.atomic
def lead_review(*, lead: ViolationLead, decision: str, actor: User, note: str = "") -> ViolationLead:
    """An officer's review of a lead: notify the enterprise to rectify, hand it to case handling as a
    动态监控 case source (idempotent on the lead), or dismiss it with a reason."""
    require_business_role(actor)
    require_within(actor, lead.org, "该线索")
    lead = ViolationLead.objects.select_for_update().get(pk=lead.pk)
    if lead.status != LeadStatus.PENDING:
        raise MonitoringError.REVIEWED.error(status=LeadStatus(lead.status).label)
    if decision not in DECISIONS:
        raise MonitoringError.DECISION.error(value=decision)
    if decision == "dismiss" and not note.strip():
        raise MonitoringError.NOTE_REQUIRED.error(fields={"note": "必填"})
    if decision == "case":
        from zhifa.cases.services import case_source_create

        subject = lead.vehicle.enterprise if lead.vehicle and lead.vehicle.enterprise else lead.vehicle
        src, _ = case_source_create(
            origin="monitoring",
            org=lead.org,
            external_ref=f"monitoring:{lead.plate}:{lead.plate_color}:"
            f"{lead.type}:{int(lead.start_at.timestamp())}",
            facts=(
                f"动态监控发现 {lead.plate} {lead.type_label}："
                f"{timezone.localtime(lead.start_at):%Y-%m-%d %H:%M:%S} 至 "
                f"{timezone.localtime(lead.end_at):%Y-%m-%d %H:%M:%S}，{lead.detail}。"
                + (f"审核意见：{note.strip()}" if note.strip() else "")
            ),
            subject=subject,
            occurred_at=lead.start_at,
            actor=actor,
            proposed={"monitoring_lead": lead.pk, "type": lead.type},
        )
        lead.case_source_id = src.pk
    lead.status = DECISIONS[decision]
    lead.reviewed_by = actor
    lead.reviewed_at = timezone.now()
    lead.review_note = note.strip()[:500]
    lead.save()
    audit_record(
        action="monitoring.lead_review",
        actor=actor,
        target=lead,
        before={"status": "pending"},
        after={"status": lead.status, "case_source": lead.case_source_id},
        reason=note.strip(),
    )
    return lead


@dataclass
class PositionsIngestResult(IngestResult):
    """The store's result plus the rows refused before the store (row number in the batch, plate, reason)."""

    row_errors: list[dict] = field(default_factory=list)


def _outside_rows(rows: list[dict], actor: User) -> list[dict]:
    """Rows naming a vehicle that is not in the registry of the actor's jurisdiction. Unknown vehicles and
    other units' vehicles get the same reason, so a batch cannot probe which plates exist elsewhere."""
    keys = [vehicle_key(r.get("plate"), r.get("plate_color")) for r in rows]  # as the store will keep them
    known = (
        set(
            Vehicle.objects.filter(
                org__path__startswith=jurisdiction_of(actor.org).path, plate__in={p for p, _ in keys}
            ).values_list("plate", "plate_color")
        )
        if actor.org_id
        else set()
    )
    out = []
    for i, key in enumerate(keys, start=1):
        if key not in known:
            plate, colour = key
            out.append(
                {
                    "row": i,
                    "plate": plate,
                    "reason": f"车辆“{plate or '（空）'}（{PlateColor(colour).label}）”未在本辖区监管对象库中登记",
                }
            )
    return out


def positions_ingest(*, rows: list[dict], actor: User | None, store: Store | None = None):
    """A batch of positions over the API (rows in the file column shape).

    A time that cannot be read refuses the whole batch (422: the client's format is wrong). With an actor,
    a row whose vehicle is not registered in the actor's jurisdiction is refused alone: it is reported
    in ``row_errors`` (row number from 1, Chinese reason) and the other rows go in. Without an actor (the
    system) every plate is accepted, as in the file ingest."""
    from .store import points_table

    require_business_role(actor)
    store = store or Store()
    clean = []
    for i, r in enumerate(rows, start=1):
        ts = r.get("ts")
        if isinstance(ts, str) and not ts.strip().isdigit():
            try:
                dt = datetime.fromisoformat(ts.strip())
            except ValueError:
                raise MonitoringError.INGEST.error(detail=f"第 {i} 条定位时间“{ts}”无法识别") from None
            if dt.tzinfo is None:
                raise MonitoringError.INGEST.error(detail=f"第 {i} 条定位时间缺少时区（如 +08:00）")
            ts = int(dt.timestamp())
        elif ts is None:
            raise MonitoringError.INGEST.error(detail=f"第 {i} 条缺少定位时间")
        clean.append(dict(r, ts=int(ts)))
    refused = _outside_rows(clean, actor) if actor is not None else []
    if refused:
        bad = {e["row"] for e in refused}
        clean = [r for i, r in enumerate(clean, start=1) if i not in bad]
    res = store.ingest_table(points_table(clean, source="api"), source="api") if clean else IngestResult()
    res = PositionsIngestResult(**vars(res), row_errors=refused)
    res.received += len(refused)
    res.rejected += len(refused)
    res.errors = [f"第 {e['row']} 条：{e['reason']}" for e in refused[:50]] + res.errors
    audit_record(
        action="monitoring.positions_ingest",
        actor=actor,
        target=None,
        detail={
            "received": res.received,
            "stored": res.stored,
            "duplicates": res.duplicates,
            "rejected": res.rejected,
        },
    )
    return res

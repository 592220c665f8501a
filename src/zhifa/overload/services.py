"""Writes of the 治超 domain: stations, ingest (Parquet + review queue), review → case source, 一超四罚,
抄告 and the party's statement. Every write is audited in its own transaction."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org, User
from zhifa.accounts.selectors import is_business_user, jurisdiction_of, officer_can_enforce
from zhifa.core.audit import audit_record
from zhifa.core.calendar import add_workdays
from zhifa.core.crypto import digest_bytes, digest_stream
from zhifa.core.errors import ErrorCode
from zhifa.registry.models import Person, Vehicle

from . import rules, screening, store
from .models import (
    AccuracyClass,
    IngestBatch,
    Lead,
    LeadStatus,
    Notice,
    SanctionKind,
    SanctionLead,
    Station,
    StationKind,
)
from .records import CST, iter_raw, iter_raw_text, parse_rows, to_table

STATION_MANAGERS = (Role.HEAD, Role.LEGAL_REVIEWER)
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
MAX_ERRORS_KEPT = 1000


class OverloadError(ErrorCode):
    FORBIDDEN = "overload.forbidden", "无权执行此操作：{detail}", 403
    STATION_INVALID = "overload.station_invalid", "检测点信息有误：{detail}", 422
    NOT_REVIEWABLE = "overload.not_reviewable", "该记录已审核（{status}），不能重复审核", 409
    NOT_OVERLOAD = (
        "overload.not_overload",
        ("按现行规则复核，该记录不构成违法超限（{reason}），不得作为案源（《行政处罚法》第四十一条）"),
        409,
    )
    OFFICER_INELIGIBLE = (
        "overload.officer_ineligible",
        ("审核人不具备执法资格：{detail}（《行政处罚法》第四十二条）"),
        403,
    )
    REASON_REQUIRED = "overload.reason_required", "请填写{what}", 422
    NOT_CONFIRMED = "overload.not_confirmed", "该记录尚未确认为案源，不能{what}", 409
    CASE_IN_SYSTEM = (
        "overload.case_in_system",
        "该记录的案源已在本系统立案（{number}），结案后自动登记并抄告，不能手工登记结案（《超限运输车辆行驶公路管理规定》第四十四条）",
        409,
    )
    LOOKUP_FAILED = "overload.lookup_failed", "车牌号或查询验证码不正确", 404
    INGEST_FILE = "overload.ingest_file", "文件无法读取：{detail}", 422
    DRIVER_UNKNOWN = "overload.driver_unknown", "驾驶人未在本辖区登记：{detail}", 422


def _require(actor: User | None, *roles: str, what: str) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_role(*roles):
        raise OverloadError.FORBIDDEN.error(detail=what)


# --- stations --------------------------------------------------------------------------------

STATION_FIELDS = (
    "name",
    "kind",
    "route",
    "chainage",
    "direction",
    "lanes",
    "device_type",
    "device_no",
    "accuracy_class",
    "cert_no",
    "cert_valid_from",
    "cert_valid_to",
    "plate_code_set",
)


@transaction.atomic
def station_save(*, code: str, org: Org, actor: User | None, **fields: Any) -> Station:
    """Create or update a detection point by its code (head / legal reviewer of the jurisdiction)."""
    if actor is not None:
        _require(actor, *STATION_MANAGERS, what="登记检测点须为执法部门负责人或法制审核人员")
        if not org.path.startswith(jurisdiction_of(actor.org).path):
            raise OverloadError.FORBIDDEN.error(detail="不能为其他辖区登记检测点")
    code = (code or "").strip()
    if not code:
        raise OverloadError.STATION_INVALID.error(detail="检测点编号不能为空", fields={"code": "不能为空"})
    cls = rules.normalise_class(fields.get("accuracy_class"))
    if cls not in AccuracyClass.values:
        raise OverloadError.STATION_INVALID.error(
            detail=f"准确度等级“{cls}”无效", fields={"accuracy_class": "应为 0.2/0.5/1/2/5/10"}
        )
    fields["accuracy_class"] = cls
    vf, vt = fields.get("cert_valid_from"), fields.get("cert_valid_to")
    if vf and vt and vt < vf:
        raise OverloadError.STATION_INVALID.error(
            detail="检定有效期至早于检定日期", fields={"cert_valid_to": "早于检定日期"}
        )
    station = Station.objects.filter(code=code).first()
    before = _station_state(station) if station else None
    if station is None:
        station = Station(code=code, org=org)
    elif actor is not None and not station.org.path.startswith(jurisdiction_of(actor.org).path):
        raise OverloadError.FORBIDDEN.error(detail="该检测点属于其他辖区")
    station.org = org
    for k in STATION_FIELDS:
        if k in fields:
            setattr(station, k, fields[k])
    if "source_enterprise" in fields:
        station.source_enterprise = fields["source_enterprise"]
    if "source_enterprise_uscc" in fields:  # the form and the API name the 货运源头单位 by its USCC
        station.source_enterprise = _source_enterprise(fields["source_enterprise_uscc"], org)
    if station.kind != StationKind.SOURCE:
        station.source_enterprise = None  # only a source-weighing station belongs to a 货运源头单位
    station.full_clean()
    station.save()
    audit_record(
        action="overload.station.save",
        actor=actor,
        target=station,
        before=before,
        after=_station_state(station),
    )
    return station


def _station_state(s: Station) -> dict:
    return {k: str(getattr(s, k)) for k in ("code", "org_id", "source_enterprise_id", *STATION_FIELDS)}


def _source_enterprise(uscc: str, org: Org):
    """The 货运源头单位 of a source-weighing station, by its 统一社会信用代码 in the register of the
    station's jurisdiction ("" clears the link)."""
    from zhifa.core.identifiers import validate_uscc
    from zhifa.registry.models import Enterprise

    uscc = (uscc or "").strip()
    if not uscc:
        return None
    check = validate_uscc(uscc)
    ent = (
        Enterprise.objects.filter(uscc=check.value, org__path__startswith=jurisdiction_of(org).path).first()
        if check
        else None
    )
    if ent is None:
        detail = f"统一社会信用代码“{uscc}”" + ("未在本辖区企业名录中登记" if check else f"无效：{check.reason}")
        raise OverloadError.STATION_INVALID.error(detail=detail, fields={"source_enterprise_uscc": detail})
    return ent


def driver_resolve(*, actor: User, driver_id: int | None = None, idcard: str = "") -> Person | None:
    """The driver an officer names at confirmation: a registered person of the actor's jurisdiction, by
    ID number (matched through the blind index, never decrypted) or by register id; nothing named is None."""
    from zhifa.core.identifiers import validate_idcard
    from zhifa.registry.selectors import person_search, persons_visible

    idcard = (idcard or "").strip()
    if idcard:
        check = validate_idcard(idcard)
        if not check:
            raise OverloadError.DRIVER_UNKNOWN.error(
                detail=f"身份证号码无效：{check.reason}", fields={"driver_idcard": check.reason}
            )
        p = person_search(actor, q=check.value).first()
    elif driver_id:
        p = persons_visible(actor).filter(pk=driver_id).first()
    else:
        return None
    if p is None:
        raise OverloadError.DRIVER_UNKNOWN.error(
            detail="请先在监管对象中登记该驾驶人", fields={"driver_idcard": "未找到该驾驶人"}
        )
    return p


def station_info(s: Station) -> screening.StationInfo:
    return screening.StationInfo(s.code, s.accuracy_class, s.cert_no, s.cert_valid_from, s.cert_valid_to)


def all_station_infos() -> list[screening.StationInfo]:
    return [station_info(s) for s in Station.objects.all()]


# --- ingest ------------------------------------------------------------------------------------


def ingest_file(
    *, path: Path, actor: User | None, org: Org, channel: str = "cli", params: screening.Params | None = None
) -> IngestBatch:
    try:
        items = list(iter_raw(path))
    except (OSError, ValueError) as e:
        raise OverloadError.INGEST_FILE.error(detail=str(e)) from None
    return ingest_items(items=items, actor=actor, org=org, channel=channel, filename=str(path), params=params)


def ingest_records(
    *,
    records: list[dict[str, Any]],
    actor: User | None,
    org: Org,
    channel: str = "api",
    params: screening.Params | None = None,
) -> IngestBatch:
    """A batch pushed over the API: a list of JSON objects with the input keys."""
    text = "\n".join(json.dumps(r, ensure_ascii=False, default=str) for r in records)
    return ingest_items(
        items=list(iter_raw_text(text, jsonl=True)),
        actor=actor,
        org=org,
        channel=channel,
        filename="",
        params=params,
    )


def ingest_items(
    *,
    items: list,
    actor: User | None,
    org: Org,
    channel: str,
    filename: str,
    params: screening.Params | None = None,
) -> IngestBatch:
    """Validate, store (Parquet, idempotent), screen the touched partitions and queue overloads.

    The order makes a crash at any point harmless: Parquet first (atomic per partition), then the
    review queue for *every* record of the touched partitions, upserted — so a rerun after ``kill -9``
    creates the leads the killed run did not get to."""
    if actor is not None and not is_business_user(actor):
        raise OverloadError.FORBIDDEN.error(detail="三员不处理业务数据")
    root = jurisdiction_of(org)
    stations = {s.code: s for s in Station.objects.filter(org__path__startswith=root.path)}
    parsed = parse_rows(items, code_sets={c: s.plate_code_set for c, s in stations.items()})
    rows, errors = [], list(parsed.errors)
    for r in parsed.rows:
        if r["station_code"] not in stations:
            errors.append(
                {
                    "row": "",
                    "record_id": r["record_id"],
                    "reason": f"检测点“{r['station_code']}”未在本辖区登记",
                }
            )
        else:
            rows.append(r)
    errors.sort(key=lambda e: (e["row"] == "", e["row"] if e["row"] != "" else 0))
    result = store.store_table(to_table(rows))
    created = queue_partitions(result.partitions, stations=stations, params=params)
    with transaction.atomic():
        batch = IngestBatch.objects.create(
            org=org,
            channel=channel,
            filename=filename[:300],
            received=len(parsed.rows) + len(parsed.errors),
            stored=result.stored,
            already_present=result.already_present,
            rejected=len(errors),
            errors=errors[:MAX_ERRORS_KEPT],
            leads_created=created,
            created_by=actor.get_username() if actor else "系统",
        )
        audit_record(
            action="overload.ingest",
            actor=actor,
            target=batch,
            detail={
                "channel": channel,
                "file": filename[-200:],
                "stored": result.stored,
                "already_present": result.already_present,
                "rejected": len(errors),
                "leads_created": created,
            },
        )
    return batch


def _aware(dt: datetime) -> datetime:
    return dt.replace(tzinfo=CST) if dt.tzinfo is None else dt


def record_digest(rec: dict[str, Any]) -> str:
    keep = {k: v for k, v in rec.items() if k in screening.SCHEMA_COLUMNS}
    return digest_bytes(json.dumps(keep, ensure_ascii=False, sort_keys=True, default=str).encode())


# Hits upserted per transaction (one IN list of record ids and plates: under SQLite's historical 999) and
# leads per INSERT (about 20 columns each: far under PostgreSQL's 65,535 parameters).
LEAD_CHUNK = 900
LEAD_INSERT_BATCH = 500


def queue_partitions(
    partitions: Iterable[tuple[date, str]],
    *,
    stations: dict[str, Station] | None = None,
    params: screening.Params | None = None,
) -> int:
    """Screen the records of the given (day, station) partitions; every ``overload`` becomes a pending
    lead (idempotent on station + record id). Returns the number of leads created."""
    params = params or screening.Params.default()
    by_station: dict[str, list[date]] = {}
    for day, code in partitions:
        by_station.setdefault(code, []).append(day)
    if not by_station:
        return 0
    stations = stations or {s.code: s for s in Station.objects.filter(code__in=list(by_station))}
    infos = all_station_infos()
    con = screening.connect(infos)
    created = 0
    try:
        for code, days in by_station.items():
            files = store.files_for(code, days)
            if not files or code not in stations or stations[code].kind == StationKind.SOURCE:
                continue  # a source weighing is a departure check, never a roadside case (see _link_source)
            day_list = ", ".join(f"DATE '{d.isoformat()}'" for d in set(days))
            sql = (
                f"SELECT * FROM ({screening.screening_sql(screening.parquet_source(files), params, unique_ids=True)}) "
                f"WHERE verdict = 'overload' AND pday IN ({day_list})"
            )
            hits = con.sql(sql).to_arrow_table().to_pylist()
            # bounded statements, each chunk its own transaction: a station-day of 33,000 overloads once hit
            # SQLite's variable limit (PostgreSQL's 65,535 parameters is the same wall) and no lead was ever
            # created, rerun after rerun (issue 16 item 5); a rerun after a crash resumes by the upsert
            for i in range(0, len(hits), LEAD_CHUNK):
                created += _leads_upsert(stations[code], hits[i : i + LEAD_CHUNK])
    finally:
        con.close()
    return created


def _lead_from(station: Station, h: dict[str, Any]) -> Lead:
    rec = {k: h[k] for k in screening.SCHEMA_COLUMNS}
    rec["passed_at"] = _aware(h["passed_at"]).isoformat()
    return Lead(
        org=station.org,
        station=station,
        record_id=h["record_id"],
        passed_at=_aware(h["passed_at"]),
        plate=h["plate"],
        plate_color=h["plate_color"],
        axle_count=h["axle_count"],
        vehicle_kind=h["vehicle_kind"],
        gross_kg=h["gross_kg"],
        limit_kg=h["limit_kg"],
        tolerance_kg=h["tolerance_kg"],
        excess_kg=h["excess_kg"],
        excess_pct=Decimal(str(h["excess_pct"])).quantize(Decimal("0.01")),
        rule=h["rule"][:500],
        reason=h["reason"][:500],
        record=rec,
        record_digest=record_digest(rec),
    )


@transaction.atomic
def _leads_upsert(station: Station, hits: list[dict[str, Any]]) -> int:
    if not hits:
        return 0
    have = set(
        Lead.objects.filter(station=station, record_id__in=[h["record_id"] for h in hits]).values_list(
            "record_id", flat=True
        )
    )
    new = [_lead_from(station, h) for h in hits if h["record_id"] not in have]
    if not new:
        return 0
    root = jurisdiction_of(station.org)
    vehicles = {
        (v.plate, v.plate_color): v
        for v in Vehicle.objects.filter(
            org__path__startswith=root.path, plate__in=[n.plate for n in new]
        ).select_related("enterprise")
    }
    for n in new:
        v = vehicles.get((n.plate, n.plate_color))
        if v:
            n.vehicle, n.enterprise = v, v.enterprise
    Lead.objects.bulk_create(new, ignore_conflicts=True, batch_size=LEAD_INSERT_BATCH)
    return len(new)


# --- review ------------------------------------------------------------------------------------


def rescreen(lead: Lead, *, params: screening.Params | None = None) -> dict[str, Any]:
    """The lead's stored record through the same engine, with the station register as it is now.

    Kept in the cache under everything the answer depends on (the record, the station's register entry,
    the parameters): a DuckDB connection per view of a lead cost most of the 治超线索 page's time. A
    station edit or another tolerance is another key."""
    from django.core.cache import cache

    info = station_info(lead.station)
    params = params or screening.Params.default()
    key = "overload:rescreen:" + screening.content_key(
        lead.record, asdict(info), sorted(params.tolerance_bp.items()), params.dedupe_minutes
    )
    row = cache.get(key)
    if row is None:
        rec = dict(lead.record)
        rec["passed_at"] = datetime.fromisoformat(rec["passed_at"]).astimezone(CST).replace(tzinfo=None)
        row = screening.screen_rows([rec], [info], params)[0]
        cache.set(key, row, RESCREEN_CACHE_SECONDS)
    return row


RESCREEN_CACHE_SECONDS = 3600


def _evidence_package(lead: Lead) -> dict[str, Any]:
    s = lead.station
    files = [
        Path(p)
        for p in store.files_for(s.code, [lead.passed_at.astimezone(CST).date()], with_previous_day=False)
    ]
    parts = []
    for p in files:
        with open(p, "rb") as fh:
            parts.append({"file": p.name, "digest": digest_stream(fh)})
    return {
        "record": lead.record,
        "record_digest": lead.record_digest,
        "images": list(lead.record.get("images") or []),
        "device": {
            "station": s.code,
            "name": s.name,
            "route": s.route,
            "chainage": s.chainage,
            "direction": s.direction,
            "device_type": s.get_device_type_display(),
            "device_no": s.device_no,
            "accuracy_class": s.accuracy_class,
            "cert_no": s.cert_no,
            "cert_valid_from": str(s.cert_valid_from or ""),
            "cert_valid_to": str(s.cert_valid_to or ""),
        },
        "partition_files": parts,
        "rule": lead.rule,
    }


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


EVIDENCE_TARGET = "overload.lead"  # registered in OverloadConfig.ready()


def lead_evidence_org(lead: Lead) -> Org:
    """The unit that holds a lead's evidence: the reviewing officer's unit once confirmed (the one that
    took the record into custody), else the station's managing unit."""
    if lead.reviewed_by_id and lead.reviewed_by.org_id:
        return lead.reviewed_by.org
    return lead.org


def _evidence_attach(lead: Lead, *, actor: User):
    """Store the weighing record with its evidence package (device, certificate, partition digests,
    source link, rule) as one JSON evidence item on ``overload.lead#id`` through ``evidence_ingest``."""
    import io

    from zhifa.evidence.services import evidence_ingest

    package = {
        "lead": lead.pk,
        "station": lead.station.code,
        "record_id": lead.record_id,
        "plate": lead.plate,
        "plate_color": lead.plate_color,
        "passed_at": lead.passed_at.astimezone(CST).isoformat(),
        "gross_kg": lead.gross_kg,
        "limit_kg": lead.limit_kg,
        "tolerance_kg": lead.tolerance_kg,
        "excess_kg": lead.excess_kg,
        "fine": lead.fine,
        "review": {"by": actor.get_username(), "reason": lead.review_reason},
        "evidence_package": lead.evidence,
    }
    data = json.dumps(package, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode("utf-8")
    return evidence_ingest(
        io.BytesIO(data),
        filename=f"超限检测记录-{lead.station.code}-{lead.record_id}.json",
        content_type="application/json",
        target_type=EVIDENCE_TARGET,
        target_id=lead.pk,
        step="审核确认",
        org=lead_evidence_org(lead),
        actor=actor,
        kind="data",
        description=f"{lead.plate} 超限 {lead.excess_kg} 千克：检测记录与证据包（记录摘要 {lead.record_digest[:16]}…）",
    )


@transaction.atomic
def lead_confirm(*, lead: Lead, actor: User, reason: str = "", driver: Person | None = None) -> Lead:
    """The officer confirms an overload after review (行政处罚法 Art 41): the record becomes a case source
    (违法超限运输) with its evidence package and the Art 43 fine proposal."""
    _require(actor, Role.OFFICER, what="审核确认须由执法人员进行")
    lead = Lead.objects.select_for_update(of=("self",)).select_related("station").get(pk=lead.pk)
    if not lead.org.path.startswith(jurisdiction_of(actor.org).path):
        raise OverloadError.FORBIDDEN.error(detail="该记录不属于本辖区")
    if lead.status != LeadStatus.PENDING:
        raise OverloadError.NOT_REVIEWABLE.error(status=LeadStatus(lead.status).label)
    officer = getattr(actor, "officer", None)
    today = timezone.localdate()
    if officer is None:
        raise OverloadError.OFFICER_INELIGIBLE.error(detail="账户未关联执法人员")
    elig = officer_can_enforce(officer, on=today)
    if not elig:
        raise OverloadError.OFFICER_INELIGIBLE.error(detail="；".join(elig.reasons))
    check = rescreen(lead)
    if check["verdict"] != "overload":
        raise OverloadError.NOT_OVERLOAD.error(reason=check["reason"])
    fine = rules.fine_proposal(check["excess_kg"], on=lead.passed_at.astimezone(CST).date())
    s = lead.station
    facts = (
        f"{lead.passed_at.astimezone(CST):%Y年%m月%d日 %H:%M:%S}，{lead.plate}"
        f"（{lead.get_plate_color_label()}，{lead.axle_count}轴{rules.KIND_LABELS.get(lead.vehicle_kind, '')}）"
        f"经{s.name}检测，车货总质量 {lead.gross_kg} 千克，超过限定标准 {lead.limit_kg} 千克，"
        f"超限 {check['excess_kg']} 千克（超限率 {check['excess_pct']}%），涉嫌违法超限运输。"
        f"认定依据：{check['rule']}。"
    )
    before = {"status": lead.status}
    lead.status, lead.reviewed_by, lead.reviewed_at = LeadStatus.CONFIRMED, actor, timezone.now()
    lead.review_reason, lead.driver, lead.fine, lead.evidence = (
        reason.strip()[:500],
        driver,
        fine.as_dict(),
        _evidence_package(lead),
    )
    lead.verify_code = lead.verify_code or _new_code()
    _link_source(lead)
    lead.save()
    # 全过程记录: the record and its evidence package go into evidence storage (SM3 digest, custody log)
    # in this transaction; a storage failure refuses the confirmation.
    item = _evidence_attach(lead, actor=actor)
    lead.evidence["evidence_item"] = {
        "id": item.pk,
        "digest": item.digest,
        "algorithm": item.digest_algorithm,
    }
    from zhifa.cases.services import case_source_create

    src, _ = case_source_create(
        origin="overload",
        org=lead.org,
        facts=facts,
        subject=lead.vehicle,
        subject_name=lead.plate,
        # the 执法事项库 entry 违法超限运输（车货总质量超过限定标准）: the case's basis (处罚法 Art 38; issue 14)
        violation_code="ZC-001",
        occurred_at=lead.passed_at,
        location=f"{s.name} {s.route} {s.chainage} {s.direction}".strip(),
        evidence_ids=[item.pk],
        proposed={"fine": fine.as_dict(), "evidence_package": lead.evidence, "review": reason},
        external_ref=f"{s.code}:{lead.record_id}",
        actor=actor,
    )
    lead.case_source_id = src.pk
    lead.save(update_fields=["evidence", "case_source_id"])
    audit_record(
        action="overload.lead.confirm",
        actor=actor,
        target=lead,
        before=before,
        after={
            "status": lead.status,
            "case_source": src.pk,
            "fine_fen": fine.amount_fen,
            "evidence_item": item.pk,
        },
    )
    # 一超四罚 waits for the 处罚决定 (lead_penalty_decided / lead_close): a lead is not a decision
    return lead


@transaction.atomic
def lead_reject(*, lead: Lead, actor: User, reason: str) -> Lead:
    _require(actor, Role.OFFICER, what="审核须由执法人员进行")
    lead = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    if not lead.org.path.startswith(jurisdiction_of(actor.org).path):
        raise OverloadError.FORBIDDEN.error(detail="该记录不属于本辖区")
    if lead.status != LeadStatus.PENDING:
        raise OverloadError.NOT_REVIEWABLE.error(status=LeadStatus(lead.status).label)
    if not reason.strip():
        raise OverloadError.REASON_REQUIRED.error(what="排除理由", fields={"reason": "请填写排除理由"})
    lead.status, lead.reviewed_by, lead.reviewed_at = LeadStatus.REJECTED, actor, timezone.now()
    lead.review_reason = reason.strip()[:500]
    lead.save()
    audit_record(
        action="overload.lead.reject",
        actor=actor,
        target=lead,
        reason=lead.review_reason,
        after={"status": lead.status},
    )
    return lead


# --- the party: look-up and statement (行政处罚法 Art 41: 查询、陈述和申辩) -------------------------------


def lead_lookup(*, plate: str, code: str) -> Lead:
    from zhifa.core.identifiers import validate_plate

    plate_n = validate_plate(plate).value
    code = (code or "").strip().upper()
    lead = (
        Lead.objects.filter(plate=plate_n, verify_code=code, status=LeadStatus.CONFIRMED).first()
        if code
        else None
    )
    if lead is None:
        raise OverloadError.LOOKUP_FAILED.error()
    return lead


@transaction.atomic
def lead_statement_submit(*, plate: str, code: str, text: str) -> Lead:
    lead = lead_lookup(plate=plate, code=code)
    if not text.strip():
        raise OverloadError.REASON_REQUIRED.error(what="陈述申辩内容", fields={"text": "不能为空"})
    lead = Lead.objects.select_for_update(of=("self",)).get(pk=lead.pk)
    lead.statement = (lead.statement + "\n\n" if lead.statement else "") + text.strip()[:4000]
    lead.statement_at = timezone.now()
    lead.save(update_fields=["statement", "statement_at"])
    audit_record(
        action="overload.lead.statement", actor=None, target=lead, detail={"length": len(text.strip())}
    )
    return lead


# --- source linking ----------------------------------------------------------------------------


def source_window_hours() -> int:
    """How long before a roadside weighing a source-unit departure may be (local: ZHIFA_OVERLOAD_SOURCE_HOURS)."""
    import os

    return int(os.environ.get("ZHIFA_OVERLOAD_SOURCE_HOURS", "24"))


def _link_source(lead: Lead) -> None:
    """Find the loading source: the latest source-station weighing of the same plate and colour in the
    window before the roadside passage."""
    sources = list(Station.objects.filter(kind=StationKind.SOURCE))
    if not sources:
        return
    local = lead.passed_at.astimezone(CST).replace(tzinfo=None)
    start = local - timedelta(hours=source_window_hours())
    files: list[str] = []
    for s in sources:
        files += store.files_for(s.code, [local.date()], with_previous_day=True)
    if not files:
        return
    con = screening.connect([station_info(s) for s in sources])
    try:
        sql = (
            f"SELECT station_code, record_id, verdict FROM ("
            f"{screening.screening_sql(screening.parquet_source(files), screening.Params.default(), unique_ids=True)}) "
            "WHERE plate = ? AND plate_color = ? AND passed_at BETWEEN ? AND ? ORDER BY passed_at DESC LIMIT 1"
        )
        row = con.execute(sql, [lead.plate, lead.plate_color, start, local]).fetchone()
    finally:
        con.close()
    if row:
        lead.source_station = next(s for s in sources if s.code == row[0])
        lead.source_record_id = row[1]
        lead.evidence["source"] = {"station": row[0], "record_id": row[1], "verdict": row[2]}


# --- 一超四罚 ----------------------------------------------------------------------------------------

GOODS_TYPES = ("truck", "heavy_truck", "tractor", "trailer", "dangerous")


def _raise(
    *,
    org: Org,
    kind: str,
    key: str,
    name: str,
    count: int,
    lead_ids: list[int],
    start: date,
    end: date,
    measure: str,
    vehicle=None,
    person=None,
    enterprise=None,
    fleet: int | None = None,
    article: str = rules.SANCTION_ARTICLE,
) -> SanctionLead:
    obj = SanctionLead.objects.filter(kind=kind, subject_key=key, status="open").first()
    if obj is None:
        obj = SanctionLead(org=org, kind=kind, subject_key=key)
    before = {"count": obj.count, "lead_ids": obj.lead_ids} if obj.pk else None
    obj.subject_name, obj.count, obj.fleet_size = name[:200], count, fleet
    obj.window_from, obj.window_to, obj.lead_ids = start, end, sorted(lead_ids)
    obj.measure, obj.article = measure, article
    obj.vehicle, obj.person, obj.enterprise = vehicle, person, enterprise
    created = obj.pk is None
    obj.save()
    if created or before != {"count": obj.count, "lead_ids": obj.lead_ids}:
        audit_record(
            action="overload.sanction.raise" if created else "overload.sanction.update",
            actor=None,
            target=obj,
            before=before,
            after={"kind": kind, "count": count, "fleet": fleet},
        )
    from zhifa.credit.services import credit_record_from_overload  # 一超四罚 feeds credit (idempotent)

    credit_record_from_overload(sanction=obj, actor=None)
    return obj


def _sanction_void(s: SanctionLead, *, on: date, reason: str) -> None:
    """A sanction no longer met once a decision it counted was revoked: it is void, and so are its credit
    records and the list procedure it opened (36号令: publication and use stop with the finding)."""
    s.status = "void"
    s.save(update_fields=["status", "updated_at"])
    audit_record(action="overload.sanction.void", actor=None, target=s, reason=reason[:300], after={"status": "void"})
    from zhifa.credit.services import credit_record_void_for_overload

    credit_record_void_for_overload(sanction=s, on=on, reason=reason)


def _trips(rows: list[dict], hours: int) -> list[list[int]]:
    """Group decided leads into trips: passages of one vehicle at different stations of one route within
    ``hours`` of the trip's first passage are one trip (rules library ``overload_trip_dedupe_hours``)."""
    trips: list[list[int]] = []
    open_: dict[tuple, tuple[dict, list[int]]] = {}
    for r in sorted(rows, key=lambda r: r["passed_at"]):
        k = (r["plate"], r["plate_color"], r["station__route"])
        prev = open_.get(k)
        if (
            hours
            and r["station__route"]
            and prev is not None
            and r["station_id"] != prev[0]["station_id"]
            and r["passed_at"] - prev[0]["passed_at"] <= timedelta(hours=hours)
        ):
            prev[1].append(r["id"])
            continue
        ids = [r["id"]]
        trips.append(ids)
        open_[k] = (r, ids)
    return trips


@transaction.atomic
def sanctions_evaluate(*, org: Org, on: date, lead: Lead | None = None) -> list[SanctionLead]:
    """一超四罚 from 处罚决定 (条例 Art 66; 36号令: a finding runs from its deciding document): the violations
    of the 12 months up to ``on`` (the deciding date) for which a penalty decision stands — a confirmed lead
    is only a 案源 and may end in 不予处罚. A vehicle or driver with more than 3 (one trip past several
    stations of a route counts once), an enterprise whose violating goods vehicles exceed 10 % of its goods
    fleet, a source unit whose scale let an over-limit vehicle leave (62号令 Art 28, 条例 Art 41)."""
    end = on
    start = on - timedelta(days=rules.SANCTION_WINDOW_DAYS - 1)
    root = jurisdiction_of(org)
    decided = Lead.objects.filter(
        org__path__startswith=root.path,
        status=LeadStatus.CONFIRMED,
        decided_on__isnull=False,
        decided_on__lte=end,
        passed_at__date__gte=start,
        passed_at__date__lte=end,
    )
    base = decided
    if lead is not None:
        q = Q(plate=lead.plate, plate_color=lead.plate_color)
        if lead.driver_id:
            q |= Q(driver_id=lead.driver_id)
        if lead.enterprise_id:
            q |= Q(enterprise_id=lead.enterprise_id)
        base = base.filter(q)
    rows = list(
        base.values(
            "id", "plate", "plate_color", "driver_id", "enterprise_id", "vehicle_id", "passed_at", "station_id", "station__route"
        )
    )
    hours = int(rules.trip_dedupe_hours(on).value or 0)
    out = []
    by_vehicle: dict[tuple, list[dict]] = {}
    by_driver: dict[int, list[dict]] = {}
    by_ent: dict[int, set[tuple]] = {}
    ent_leads: dict[int, list[int]] = {}
    for r in rows:
        by_vehicle.setdefault((r["plate"], r["plate_color"]), []).append(r)
        if r["driver_id"]:
            by_driver.setdefault(r["driver_id"], []).append(r)
        if r["enterprise_id"]:
            by_ent.setdefault(r["enterprise_id"], set()).add((r["plate"], r["plate_color"]))
            ent_leads.setdefault(r["enterprise_id"], []).append(r["id"])
    for (plate, color), group in by_vehicle.items():
        trips = _trips(group, hours)
        if len(trips) > rules.SANCTION_VEHICLE_MORE_THAN:
            # this jurisdiction's record of the vehicle (each county keeps its own: registry.models)
            v = Vehicle.objects.filter(plate=plate, plate_color=color, org__path__startswith=root.path).first()
            out.append(
                _raise(
                    org=root,
                    kind=SanctionKind.VEHICLE,
                    key=f"{plate}:{color}",
                    name=plate,
                    count=len(trips),
                    lead_ids=[i for t in trips for i in t],
                    start=start,
                    end=end,
                    vehicle=v,
                    measure="由道路运输管理机构吊销其车辆营运证",
                )
            )
    for pid, group in by_driver.items():
        trips = _trips(group, hours)
        if len(trips) > rules.SANCTION_DRIVER_MORE_THAN:
            p = Person.objects.get(pk=pid)
            out.append(
                _raise(
                    org=root,
                    kind=SanctionKind.DRIVER,
                    key=f"person:{pid}",
                    name=p.name,
                    count=len(trips),
                    lead_ids=[i for t in trips for i in t],
                    start=start,
                    end=end,
                    person=p,
                    measure="由道路运输管理机构责令停止从事营业性运输",
                )
            )
    for eid, plates in by_ent.items():
        from zhifa.registry.models import Enterprise

        ent = Enterprise.objects.get(pk=eid)
        fleet = Vehicle.objects.filter(enterprise=ent, vehicle_type__in=GOODS_TYPES).count()
        if fleet and len(plates) * 10000 > fleet * rules.SANCTION_ENTERPRISE_SHARE_BP:
            out.append(
                _raise(
                    org=root,
                    kind=SanctionKind.ENTERPRISE,
                    key=f"enterprise:{eid}",
                    name=ent.name,
                    count=len(plates),
                    fleet=fleet,
                    lead_ids=ent_leads[eid],
                    start=start,
                    end=end,
                    enterprise=ent,
                    measure="责令停业整顿；情节严重的吊销道路运输经营许可证并向社会公告",
                )
            )
    if lead is not None and lead.source_station_id:
        s = lead.source_station
        ids = [
            x.pk
            for x in decided.filter(source_station=s)
            if (x.evidence.get("source") or {}).get("verdict") in rules.SOURCE_VERDICTS
        ]
        if ids:  # the 罚则 sets no count: each release is one violation
            out.append(
                _raise(
                    org=root,
                    kind=SanctionKind.SOURCE,
                    key=f"enterprise:{s.source_enterprise_id}" if s.source_enterprise_id else f"source:{s.code}",
                    name=str(s.source_enterprise or s.name),
                    count=len(ids),
                    lead_ids=ids,
                    start=start,
                    end=end,
                    enterprise=s.source_enterprise,
                    measure=rules.SOURCE_MEASURE,
                    article=rules.SOURCE_ARTICLE,
                )
            )
    return out


def _lead_for_case(case, *, lock: bool = True) -> Lead | None:
    """The lead whose case source became ``case`` (the case's ``source`` of origin ``overload``)."""
    if not case.source_id or case.source.origin != "overload":
        return None
    qs = Lead.objects.select_related("station", "source_station")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.filter(case_source_id=case.source_id, status=LeadStatus.CONFIRMED).first()


def _lead_decided(lead: Lead, *, decided_on: date, decision_no: str, actor: User | None, case=None) -> None:
    before = {"decided_on": str(lead.decided_on or "")}
    lead.decided_on, lead.overturned_on = decided_on, None
    if decision_no:
        lead.decision_no = decision_no[:60]
    lead.save(update_fields=["decided_on", "overturned_on", "decision_no"])
    audit_record(
        action="overload.lead.decided",
        actor=actor,
        target=lead,
        before=before,
        after={"decided_on": str(decided_on), "decision_no": lead.decision_no, "case": case.pk if case else None},
    )
    sanctions_evaluate(org=lead.org, on=decided_on, lead=lead)


@transaction.atomic
def lead_penalty_decided(*, case, decided_on: date, actor) -> Lead | None:
    """``cases.penalty_decided``: the case raised from a lead was decided with a penalty — now, and only now,
    the violation counts for 一超四罚 (and the credit records it creates), dated by the decision."""
    if case.outcome != "penalty":
        return None
    lead = _lead_for_case(case)
    if lead is None:
        return None
    _lead_decided(lead, decided_on=decided_on, decision_no=case.decision_no or "", actor=actor, case=case)
    return lead


@transaction.atomic
def lead_decision_overturned(*, case, changed_on: date, actor, reason: str) -> Lead | None:
    """``cases.decision_overturned``: a 复议决定 or 判决 revoked (changed, declared illegal) the decision — its
    count goes, and a measure no longer met is void with its credit records. A changed decision is
    announced anew (``cases.penalty_decided``) and counts again."""
    lead = _lead_for_case(case)
    if lead is None or lead.decided_on is None:
        return None
    lead.decided_on, lead.overturned_on = None, changed_on
    lead.save(update_fields=["decided_on", "overturned_on"])
    audit_record(
        action="overload.lead.overturned",
        actor=actor,
        target=lead,
        reason=reason[:300],
        after={"overturned_on": str(changed_on), "case": case.pk},
    )
    why = f"处罚决定（{case.decision_no or lead.decision_no}）经复议/诉讼{reason}，不再计入"
    for s in [s for s in SanctionLead.objects.filter(status="open") if lead.pk in (s.lead_ids or [])]:
        kept = {x.pk for x in sanctions_evaluate(org=s.org, on=s.window_to, lead=lead)}
        if s.pk not in kept:
            _sanction_void(s, on=changed_on, reason=why)
    return lead


# --- 抄告 (62号令 Art 44) --------------------------------------------------------------------------


def _case_for_source(source_id: int | None):
    if not source_id:
        return None
    from zhifa.cases.models import Case

    return Case.objects.filter(source_id=source_id).order_by("pk").first()


@transaction.atomic
def lead_close(
    *, lead: Lead, actor: User, closed_on: date, decision_no: str, decided_on: date | None = None
) -> Lead:
    """Manual 登记结案 for a lead whose case was NOT handled in zhifa (a paper or legacy-system case):
    record the penalty decision (``decided_on``, default the closing date), which counts for 一超四罚 from
    its date; a vehicle registered outside the bureau's area gets a 抄告 due within 7 working
    days (62号令 Art 44). A lead whose case source became a zhifa case is closed by that case's 结案
    (:func:`lead_case_closed`, registered as a cases hook) and is refused here."""
    _require(actor, Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER, what="须为执法业务人员")
    lead = (
        Lead.objects.select_for_update(of=("self",))
        .select_related("station", "vehicle", "enterprise", "driver")
        .get(pk=lead.pk)
    )
    if not lead.org.path.startswith(jurisdiction_of(actor.org).path):
        raise OverloadError.FORBIDDEN.error(detail="该记录不属于本辖区")
    if lead.status != LeadStatus.CONFIRMED:
        raise OverloadError.NOT_CONFIRMED.error(what="登记结案")
    case = _case_for_source(lead.case_source_id)
    if case is not None:
        raise OverloadError.CASE_IN_SYSTEM.error(number=case.number or f"#{case.pk}")
    if not decision_no.strip():
        raise OverloadError.REASON_REQUIRED.error(what="处罚决定书文号", fields={"decision_no": "不能为空"})
    lead.case_closed_on, lead.decision_no = closed_on, decision_no.strip()
    lead.save(update_fields=["case_closed_on", "decision_no"])
    audit_record(
        action="overload.lead.close",
        actor=actor,
        target=lead,
        after={"closed_on": str(closed_on), "decision_no": lead.decision_no},
    )
    _notice_create(lead, closed_on=closed_on, actor=actor)
    _lead_decided(lead, decided_on=decided_on or closed_on, decision_no=lead.decision_no, actor=actor)
    return lead


def lead_case_closed(case) -> Lead | None:
    """cases hook (``on_case_closed``): the case raised from a lead's case source reached 结案 — record it
    on the lead and, for a penalty on a vehicle from outside the bureau's area, create the 抄告 due 7
    working days after the closing date (62号令 Art 44). Idempotent."""
    if not case.source_id or case.source.origin != "overload" or not case.closed_on:
        return None
    with transaction.atomic():
        lead = (
            Lead.objects.select_for_update(of=("self",))
            .select_related("station", "vehicle", "enterprise", "driver", "source_station")
            .filter(case_source_id=case.source_id, status=LeadStatus.CONFIRMED)
            .first()
        )
        if lead is None:
            return None
        if lead.case_closed_on is None:
            lead.case_closed_on, lead.decision_no = case.closed_on, (case.decision_no or "")[:60]
            lead.save(update_fields=["case_closed_on", "decision_no"])
            audit_record(
                action="overload.lead.close",
                actor=None,
                target=lead,
                after={
                    "closed_on": str(case.closed_on),
                    "decision_no": lead.decision_no,
                    "case": case.pk,
                    "outcome": case.outcome,
                },
            )
        if case.outcome == "penalty":  # a 不予处罚/撤销/移送 case has no 处理结果 to notify
            _notice_create(lead, closed_on=case.closed_on, actor=None, case=case)
    return lead


def _notice_create(lead: Lead, *, closed_on: date, actor: User | None, case=None) -> Notice | None:
    if lead.plate.startswith(rules.local_plate_prefixes()) or Notice.objects.filter(lead=lead).exists():
        return None
    due = add_workdays(closed_on, rules.NOTIFY_WORKDAYS)
    v, d = lead.vehicle, lead.driver
    decision = {"number": lead.decision_no, "closed_on": str(closed_on), "fine": lead.fine}
    if case is not None:
        decision.update(
            {"case": case.number, "fine_fen": case.fine_fen, "decided_on": str(case.decided_on or "")}
        )
    items = {
        "vehicle": {
            "plate": lead.plate,
            "plate_color": lead.plate_color,
            "vehicle_type": v.get_vehicle_type_display()
            if v
            else f"{lead.axle_count}轴{rules.KIND_LABELS.get(lead.vehicle_kind, '')}",
            "enterprise": lead.enterprise.name if lead.enterprise else "",
            "transport_cert_no": v.transport_cert_no if v else "",
        },
        "driver": {
            "name": d.name if d else "",
            "qualification_no": _qualification_no(d),
            "employer": d.employer.name if d and d.employer else "",
        },
        "source": {
            "unit": str(lead.source_station.source_enterprise or lead.source_station.name)
            if lead.source_station
            else "",
            "loading_slip": "",
        },
        "decision": decision,
        "other": {
            "station": lead.station.name,
            "record_id": lead.record_id,
            "gross_kg": lead.gross_kg,
            "limit_kg": lead.limit_kg,
            "excess_kg": lead.excess_kg,
            "case_source_id": lead.case_source_id,
        },
    }
    n = Notice.objects.create(
        org=lead.org,
        lead=lead,
        home_authority=f"{lead.plate[:2]} 车籍地道路运输管理机构",
        items=items,
        due_on=due.date,
        due_rule=f"{rules.NOTIFY_ARTICLE}；{due.rule}",
    )
    audit_record(action="overload.notice.create", actor=actor, target=n, after={"due_on": str(due.date)})
    return n


def _qualification_no(person: Person | None) -> str:
    if person is None:
        return ""
    from zhifa.registry.models import Licence

    lic = Licence.objects.filter(person=person, kind="qualification").order_by("-valid_to").first()
    return lic.number if lic else ""


@transaction.atomic
def notice_mark_sent(*, notice: Notice, actor: User) -> Notice:
    _require(actor, Role.OFFICER, Role.HEAD, Role.LEGAL_REVIEWER, what="须为执法业务人员")
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not notice.org.path.startswith(jurisdiction_of(actor.org).path):
        raise OverloadError.FORBIDDEN.error(detail="该抄告不属于本辖区")
    if notice.status == "sent":
        return notice
    notice.status, notice.sent_at, notice.sent_by = "sent", timezone.now(), actor.get_username()
    notice.save()
    audit_record(action="overload.notice.sent", actor=actor, target=notice, after={"status": "sent"})
    return notice

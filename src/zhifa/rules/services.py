"""Writes of the rule library: loading data files and publishing new violation versions.

* ``rules_load`` / ``load_starter_catalogue``: idempotent loads of data files (a second load of the
  same file changes nothing; a changed entry with an existing effective date is refused, never
  overwritten).
* ``violation_version_create``: a 法制审核人员 publishes a new version of a catalogue entry effective
  from a date, with a reason (audited). Existing versions are never modified.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from zhifa.accounts.enums import Role
from zhifa.accounts.models import User
from zhifa.core.audit import audit_record
from zhifa.rules import datafile
from zhifa.rules.errors import RulesError
from zhifa.rules.models import (
    DataSource,
    LegalBasis,
    PenaltyKind,
    ProcedureParam,
    SeverityClass,
    Tier,
    Violation,
    ViolationVersion,
)
from zhifa.rules.params import procedure_param
from zhifa.rules.selectors import version_binds_only_own_units

SCOPE_REFUSAL = "该版本将适用于本单位管辖范围以外的单位，须由这些单位共同的上级单位的法制审核人员发布"
EDITORS = (Role.LEGAL_REVIEWER,)  # 法制审核人员 keep the discretion benchmark and rule data (design.md)

_CONTENT_FIELDS = (
    "name",
    "category",
    "party_kind",
    "effective_to",
    "penalty_kind",
    "min_fen",
    "max_fen",
    "penalty_detail",
    "other_sanctions",
    "summary_allowed",
    "tiers",
    "tier_source",
    "exemptions",
    "severity",
    "severity_source",
    "note",
    "confirmed",
    "violated",
    "penalised",
)
# Added after the first catalogue was shipped: left out of the digest while empty, so the digests of the
# versions loaded before stay valid (migration 0002 back-fills the classified ones).
_LATER_FIELDS = ("severity", "severity_source")


def content_digest(data: dict[str, Any]) -> str:
    payload = {k: data.get(k) for k in _CONTENT_FIELDS if k not in _LATER_FIELDS or data.get(k)}
    payload["violated"] = sorted(payload["violated"] or [])
    payload["penalised"] = sorted(payload["penalised"] or [])
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_content(v: ViolationVersion) -> dict[str, Any]:
    data = {f: getattr(v, f) for f in _CONTENT_FIELDS if f not in ("violated", "penalised")}
    data["violated"] = [b.key for b in v.violated.all()]
    data["penalised"] = [b.key for b in v.penalised.all()]
    return data


@dataclass
class LoadReport:
    files: list[str] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=lambda: {"legal_bases": 0, "violations": 0, "params": 0})
    updated: dict[str, int] = field(default_factory=lambda: {"legal_bases": 0, "params": 0})
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"legal_bases": 0, "violations": 0, "params": 0}
    )
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        c, u, n = self.created, self.updated, self.unchanged
        return (
            f"法律依据：新增 {c['legal_bases']}，更新 {u['legal_bases']}，未变 {n['legal_bases']}；"
            f"执法事项版本：新增 {c['violations']}，未变 {n['violations']}；"
            f"程序参数：新增 {c['params']}，更新 {u['params']}，未变 {n['params']}"
        )


def default_files(province: str | None = None) -> list[Path]:
    """The shipped national file, plus the province file when there is one for ``province``."""
    files = [datafile.NATIONAL_FILE]
    code = datafile.province_code_safe(province or "")
    if code and code in datafile.PROVINCE_FILES:
        files.append(datafile.PROVINCE_FILES[code])
    return files


def rules_load(*, paths: list[str | Path], actor: User | None = None) -> LoadReport:
    """Load data files in order (national first). Each file is one transaction: a file with errors
    loads nothing (its errors are reported with the entry and the field)."""
    report = LoadReport()
    for path in paths:
        report.files.append(str(path))
        try:
            doc = datafile.read_file(path)
        except datafile.DataFileError as e:
            report.errors.append(str(e))
            continue
        known = set(LegalBasis.objects.values_list("key", flat=True))
        check = datafile.check_document(doc, known_bases=known)
        if not check.ok:
            report.errors.extend(f"{Path(path).name}：{e}" for e in check.errors)
            continue
        try:
            _load_document(doc, source_file=Path(path).name, actor=actor, report=report)
        except _FileRejected as e:
            report.errors.append(f"{Path(path).name}：{e.args[0]}")
    return report


class _FileRejected(Exception):  # internal: aborts one file's transaction with a message
    pass


def _load_document(doc: dict, *, source_file: str, actor: User | None, report: LoadReport) -> None:
    province = datafile.province_code(doc.get("province", ""))
    counts = {
        "created": dict(report.created),
        "updated": dict(report.updated),
        "unchanged": dict(report.unchanged),
    }
    try:
        with transaction.atomic():
            _load_bases(doc.get("legal_bases", []), province, report)
            _load_params(doc.get("params", []), province, source_file, report)
            limits = (
                procedure_param("summary_fine_max_person").value,
                procedure_param("summary_fine_max_org").value,
            )
            problems = _load_violations(
                doc.get("violations", []), province, source_file, limits, actor, report
            )
            if problems:
                raise _FileRejected("；".join(problems))
            audit_record(
                action="rules.load",
                actor=actor,
                target_type="rules.datafile",
                target_id=source_file,
                target_repr=doc.get("title", source_file)[:300],
                detail={
                    "province": province,
                    "created": _diff(counts["created"], report.created),
                    "updated": _diff(counts["updated"], report.updated),
                },
            )
    except _FileRejected:
        report.created, report.updated, report.unchanged = (
            counts["created"],
            counts["updated"],
            counts["unchanged"],
        )
        raise


def _diff(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before.get(k, 0) for k in after}


def _load_bases(rows: list[dict], province: str, report: LoadReport) -> None:
    for b in rows:
        values = {
            "law": b["law"],
            "article": b["article"],
            "paragraph": b.get("paragraph"),
            "item": b.get("item"),
            "summary": b["summary"],
            "version": b.get("version", ""),
            "effective_from": date.fromisoformat(b["effective_from"]),
            "effective_to": date.fromisoformat(b["effective_to"]) if b.get("effective_to") else None,
            "source": b.get("source", "")[:400],
            "confirmed": bool(b.get("confirmed")),
            "province": province,
        }
        row = LegalBasis.objects.filter(key=b["key"]).first()
        if row is None:
            LegalBasis.objects.create(key=b["key"], **values)
            report.created["legal_bases"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            # A legal basis is a citation of an article, corrected in place (the article itself does not
            # change; a new revision of a law gets a new key).
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            report.updated["legal_bases"] += 1
        else:
            report.unchanged["legal_bases"] += 1


def _load_params(rows: list[dict], province: str, source_file: str, report: LoadReport) -> None:
    for p in rows:
        start = date.fromisoformat(p["effective_from"])
        values = {
            "label": p["label"],
            "value": p["value"],
            "unit": p["unit"],
            "day_type": p.get("day_type", ""),
            "article": p["article"][:300],
            "confidence": p["confidence"],
            "note": p.get("note", ""),
            "effective_to": date.fromisoformat(p["effective_to"]) if p.get("effective_to") else None,
            "source_file": source_file,
        }
        row = ProcedureParam.objects.filter(name=p["name"], province=province, effective_from=start).first()
        if row is None:
            ProcedureParam.objects.create(name=p["name"], province=province, effective_from=start, **values)
            report.created["params"] += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            row.save()
            report.updated["params"] += 1
        else:
            report.unchanged["params"] += 1


def _load_violations(
    rows: list[dict],
    province: str,
    source_file: str,
    limits: tuple[int, int],
    actor: User | None,
    report: LoadReport,
) -> list[str]:
    problems = []
    for v in rows:
        data = datafile.normalise_violation(v, summary_limits=limits)
        violation, _ = Violation.objects.get_or_create(code=v["code"])
        digest = content_digest(data)
        existing = ViolationVersion.objects.filter(
            violation=violation, province=province, effective_from=data["effective_from"]
        ).first()
        if existing is not None:
            if existing.digest == digest:
                report.unchanged["violations"] += 1
            else:
                problems.append(
                    RulesError.VERSION_CONFLICT.template.format(code=v["code"], on=data["effective_from"])
                )
            continue
        _create_version(
            violation,
            province,
            data,
            digest=digest,
            source=DataSource.FILE,
            source_file=source_file,
            reason="数据文件载入",
            actor=actor,
        )
        report.created["violations"] += 1
    return problems


def _create_version(
    violation: Violation,
    province: str,
    data: dict[str, Any],
    *,
    digest: str,
    source: str,
    source_file: str,
    reason: str,
    actor: User | None,
) -> ViolationVersion:
    fields = {k: v for k, v in data.items() if k not in ("violated", "penalised")}
    version = ViolationVersion(
        violation=violation,
        province=province,
        digest=digest,
        source=source,
        source_file=source_file,
        reason=reason[:500],
        created_by=actor.get_username() if actor else "系统",
        **fields,
    )
    version.full_clean(exclude=["violated", "penalised"])
    version.save()
    bases = {b.key: b for b in LegalBasis.objects.filter(key__in=data["violated"] + data["penalised"])}
    version.violated.set([bases[k] for k in data["violated"]])
    version.penalised.set([bases[k] for k in data["penalised"]])
    return version


def load_starter_catalogue(*, actor: User | None = None, province: str | None = "44") -> LoadReport:
    """Load the shipped national catalogue (and the province file, 广东 by default: the demo county is
    郁南县). Idempotent; called by the demo loader. Raises if the shipped data does not load."""
    report = rules_load(paths=default_files(province), actor=actor)
    if not report.ok:
        raise RulesError.INVALID.error(detail="；".join(report.errors[:5]))
    return report


# --- editing: a new version ---------------------------------------------------------------------------


@transaction.atomic
def violation_version_create(
    *,
    code: str,
    effective_from: date,
    reason: str,
    changes: dict[str, Any],
    actor: User,
    province: str = "",
    source: str = DataSource.UI,
) -> ViolationVersion:
    """Publish a new version of ``code`` effective from ``effective_from`` (法制审核人员 only).

    ``changes`` holds the fields that differ from the latest version of the same province (or the national
    one when the province has none yet): ``name``, ``min_fen``, ``max_fen``, ``summary_allowed``,
    ``other_sanctions``, ``tiers``, ``exemptions``, ``note``. The new version must start after the latest
    one: rules change forward, an applied version is never rewritten. ``severity`` (轻微/一般/严重, "" =
    unclassified) and ``severity_source`` reclassify the violation for 双公示 periods from that date.
    """
    if not actor.has_role(*EDITORS):
        raise RulesError.FORBIDDEN.error(detail="只有法制审核人员可以修订执法事项与裁量基准")
    prov = datafile.province_code_safe(province)
    if not version_binds_only_own_units(actor, prov):
        raise RulesError.FORBIDDEN.error(detail=SCOPE_REFUSAL)
    reason = (reason or "").strip()
    if not reason:
        raise RulesError.INVALID.error(detail="请填写修订理由", fields={"reason": "不能为空"})
    violation = Violation.objects.select_for_update().filter(code=code).first()
    if violation is None:
        raise RulesError.NOT_FOUND.error(what=f"执法事项 {code}")
    base = (
        ViolationVersion.objects.filter(violation=violation, province=prov)
        .order_by("-effective_from")
        .first()
        or ViolationVersion.objects.filter(violation=violation, province="")
        .order_by("-effective_from")
        .first()
    )
    if base is None:
        raise RulesError.NOT_FOUND.error(what=f"执法事项 {code}")
    latest_same_scope = (
        ViolationVersion.objects.filter(violation=violation, province=prov)
        .order_by("-effective_from")
        .first()
    )
    if latest_same_scope is not None and effective_from <= latest_same_scope.effective_from:
        raise RulesError.VERSION_NOT_LATER.error(
            latest=f"{latest_same_scope.effective_from:%Y-%m-%d}",
            fields={"effective_from": "应晚于现行最新版本的生效日期"},
        )
    data = version_content(base)
    allowed = {
        "name",
        "category",
        "min_fen",
        "max_fen",
        "summary_allowed",
        "other_sanctions",
        "tiers",
        "exemptions",
        "note",
        "tier_source",
        "severity",
        "severity_source",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise RulesError.INVALID.error(detail=f"不能修订的字段：{'、'.join(sorted(unknown))}")
    data.update(changes)
    if not data.get("severity"):
        data["severity"], data["severity_source"] = "", ""
    data["effective_from"] = effective_from
    data["effective_to"] = None
    _validate_version(code, data)
    if "tiers" in changes and "tier_source" not in changes:
        data["tier_source"] = f"{actor.display_name or actor.get_username()} 于页面修订"
    digest = content_digest(data)
    version = _create_version(
        violation, prov, data, digest=digest, source=source, source_file="", reason=reason, actor=actor
    )
    before = {k: v for k, v in version_content(base).items() if k != "effective_to"}
    after = {k: v for k, v in data.items() if k not in ("effective_from", "effective_to")}
    audit_record(
        action="rules.violation.version_create",
        actor=actor,
        target=version,
        before={k: str(v) for k, v in before.items()},
        after={k: str(v) for k, v in after.items()},
        detail={
            "code": code,
            "province": prov,
            "effective_from": effective_from.isoformat(),
            "base_version": base.pk,
        },
        reason=reason,
    )
    return version


def _validate_version(code: str, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(data.get("name", "")).strip():
        errors["name"] = "不能为空"
    lo, hi = data.get("min_fen"), data.get("max_fen")
    if not isinstance(lo, int) or not isinstance(hi, int) or lo < 0 or hi < 0:
        errors["min_fen"] = "罚款金额应为非负整数"
    elif (
        data["penalty_kind"]
        in (PenaltyKind.RANGE, PenaltyKind.UP_TO, PenaltyKind.FIXED, PenaltyKind.PER_UNIT)
        and hi < lo
    ):
        errors["max_fen"] = "最高罚款低于最低罚款"
    if data.get("severity") and data["severity"] not in SeverityClass.values:
        errors["severity"] = "失信程度应为 轻微、一般 或 严重"
    elif data.get("severity") and not str(data.get("severity_source", "")).strip():
        errors["severity_source"] = "请写明失信程度分类依据（《信用修复管理办法》由行业主管部门制定分类标准）"
    elif len(str(data.get("severity_source", ""))) > 300:
        errors["severity_source"] = "不能超过 300 个字符"
    seen = set()
    for i, t in enumerate(data.get("tiers") or [], 1):
        key = f"tiers.{i}"
        if t.get("tier") not in Tier.values:
            errors[key] = "阶次无效"
            continue
        if t["tier"] in seen:
            errors[key] = f"阶次“{Tier(t['tier']).label}”重复"
        seen.add(t["tier"])
        tlo, thi = t.get("min_fen", 0), t.get("max_fen", 0)
        if not isinstance(tlo, int) or not isinstance(thi, int) or tlo < 0 or thi < tlo:
            errors[key] = f"“{Tier(t['tier']).label}”的金额范围无效"
        elif t["tier"] not in (Tier.MITIGATED, Tier.NO_PENALTY) and isinstance(hi, int) and hi and thi > hi:
            errors[key] = (
                f"“{Tier(t['tier']).label}”超出法定最高罚款（国办发〔2022〕27号：裁量基准不得超出法定幅度）"
            )
        elif t["tier"] == Tier.NO_PENALTY and thi:
            errors[key] = "不予处罚阶次的金额应为 0"
        elif t["tier"] == Tier.MITIGATED and isinstance(lo, int) and thi >= lo > 0:
            errors[key] = "减轻处罚应低于法定最低罚款（《行政处罚法》第三十二条）"
        if not str(t.get("conditions", "")).strip():
            errors.setdefault(key, f"“{Tier(t['tier']).label}”应写明适用条件")
    if errors:
        detail = "；".join(f"{k}：{v}" for k, v in errors.items())
        raise RulesError.INVALID.error(detail=f"{code} {detail}", fields=errors)

"""The 审计管理员's reads of the audit chain: search, single record, CSV export and chain verification.

Each of them is itself an audited action (等保 8.1.4.3: the audit administrator's own operations are
audited too), so the pages call these services and never :func:`zhifa.core.audit.audit_record`.
Only the 审计管理员 may use them (三员分立: the 系统管理员 and 安全管理员 must not read or export the log
that records their own actions).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.services import require_role
from zhifa.core.audit import VerifyResult, action_label, audit_record, audit_verify
from zhifa.core.errors import DomainError
from zhifa.core.exports import spreadsheet_row
from zhifa.core.models import AuditRecord

EXPORT_MAX_ROWS = 200_000

EXPORT_HEADER = [
    "序号",
    "时间",
    "操作人",
    "操作人ID",
    "角色",
    "单位",
    "操作",
    "对象类型",
    "对象ID",
    "对象",
    "结果",
    "原因",
    "IP",
    "请求ID",
    "详情",
    "算法",
    "哈希",
]


@dataclass(frozen=True)
class AuditFilter:
    start: datetime | None = None
    end: datetime | None = None  # exclusive
    actor: str = ""  # part of the operator's name or username, or the user id
    action: str = ""
    target: str = ""  # part of the target's description or type, or its id
    success: bool | None = None

    def as_detail(self) -> dict:
        d = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        for k in ("start", "end"):
            if k in d:
                d[k] = timezone.localtime(d[k]).strftime("%Y-%m-%d %H:%M")
        return d


def _require_auditor(actor) -> None:
    require_role(actor, Role.AUDITADMIN)


def records_visible(actor) -> QuerySet[AuditRecord]:
    """The records an 审计管理员 reads: those made by accounts of their unit and its sub-units (a county's
    auditor does not read the next county's trail, whose targets name that county's parties and vehicles).
    Records without a unit (the system, the command line, sign-in attempts under unknown names) are read
    at the top of the tree only, by the auditor of a unit without a superior."""
    from zhifa.accounts.selectors import orgs_visible

    org = getattr(actor, "org", None)
    if org is None:
        return AuditRecord.objects.none()
    cond = Q(org_id__in=orgs_visible(actor).values("pk"))
    if org.parent_id is None:
        cond |= Q(org_id__isnull=True)
    return AuditRecord.objects.filter(cond)


def _search(actor, f: AuditFilter) -> QuerySet[AuditRecord]:
    qs = records_visible(actor)
    if f.start:
        qs = qs.filter(at__gte=f.start)
    if f.end:
        qs = qs.filter(at__lt=f.end)
    if f.actor:
        from zhifa.accounts.models import User

        cond = Q(actor_name__icontains=f.actor)
        ids = list(User.objects.filter(username__icontains=f.actor).values_list("pk", flat=True)[:500])
        if f.actor.isdigit():
            ids.append(int(f.actor))
        if ids:
            cond |= Q(actor_id__in=ids)
        qs = qs.filter(cond)
    if f.action:  # a code or a part of one, or a part of an action's Chinese name ("登录", "公示")
        named = [code for code in action_names() if f.action in action_label(code)]
        qs = qs.filter(Q(action__icontains=f.action) | Q(action__in=named))
    if f.target:
        cond = Q(target_repr__icontains=f.target) | Q(target_type__icontains=f.target) | Q(target_id=f.target)
        qs = qs.filter(cond)
    if f.success is not None:
        qs = qs.filter(success=f.success)
    return qs.order_by("-seq")


def audit_query(*, actor, filters: AuditFilter) -> QuerySet[AuditRecord]:
    """The records matching ``filters``, newest first; the search itself is recorded (``audit.query``)."""
    _require_auditor(actor)
    audit_record(
        action="audit.query", actor=actor, target_type="core.auditrecord", detail=filters.as_detail()
    )
    return _search(actor, filters)


def audit_get(*, actor, seq: int) -> AuditRecord | None:
    """One record by its sequence number (``audit.view``)."""
    _require_auditor(actor)
    rec = records_visible(actor).filter(seq=seq).first()
    if rec is not None:
        audit_record(
            action="audit.view",
            actor=actor,
            target_type="core.auditrecord",
            target_id=rec.seq,
            target_repr=f"#{rec.seq} {action_label(rec.action) or rec.action}",  # as the page names it
        )
    return rec


def action_names() -> list[str]:
    """Distinct action codes in the log, for the search form's suggestions."""
    return list(AuditRecord.objects.order_by("action").values_list("action", flat=True).distinct()[:300])


def _csv_line(values: list) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(spreadsheet_row(values))  # formula injection: the platform's one escaping
    return buf.getvalue()


def audit_export(*, actor, filters: AuditFilter) -> tuple[int, Iterator[str]]:
    """CSV lines (with a UTF-8 BOM for Excel) of the matching records, oldest first.

    The export is recorded (``audit.export``) with its filters and row count before the first line is
    produced. More than :data:`EXPORT_MAX_ROWS` rows is refused: narrow the time range.
    """
    _require_auditor(actor)
    qs = _search(actor, filters).order_by("seq")
    count = qs.count()
    if count > EXPORT_MAX_ROWS:
        audit_record(
            action="audit.export",
            actor=actor,
            target_type="core.auditrecord",
            success=False,
            reason=f"结果 {count} 条，超过单次导出上限",
            detail=filters.as_detail(),
        )
        raise DomainError(
            "audit.export_too_large",
            f"符合条件的审计记录有 {count} 条，超过单次导出上限 {EXPORT_MAX_ROWS} 条，请缩小时间范围后再导出",
            status=422,
        )
    audit_record(
        action="audit.export",
        actor=actor,
        target_type="core.auditrecord",
        detail={**filters.as_detail(), "rows": count},
    )

    def lines() -> Iterator[str]:
        yield "\ufeff" + _csv_line(EXPORT_HEADER)
        for r in qs.iterator(chunk_size=2000):
            yield _csv_line(
                [
                    r.seq,
                    timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M:%S"),
                    r.actor_name,
                    r.actor_id or "",
                    r.actor_roles,
                    r.org_name,
                    r.action,
                    r.target_type,
                    r.target_id,
                    r.target_repr,
                    "成功" if r.success else "失败",
                    r.reason,
                    r.ip,
                    r.request_id,
                    json.dumps(r.detail, ensure_ascii=False, sort_keys=True) if r.detail else "",
                    r.algorithm,
                    r.hash,
                ]
            )

    return count, lines()


def audit_chain_verify(*, actor) -> VerifyResult:
    """Walk the whole chain (``audit_verify``); the check and its outcome are recorded (``audit.verify``)."""
    _require_auditor(actor)
    result = audit_verify()
    audit_record(
        action="audit.verify",
        actor=actor,
        target_type="core.auditrecord",
        success=result.ok,
        reason="" if result.ok else result.message[:300],
        detail={"checked": result.checked, "broken_seq": result.broken_seq},
    )
    return result

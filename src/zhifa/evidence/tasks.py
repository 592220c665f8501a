"""Background jobs of 全过程记录 (see zhifa.jobs.registry)."""

from __future__ import annotations

from zhifa.jobs.registry import periodic


@periodic("evidence.verify", label="证据材料完整性校验（重新计算摘要）", every="weekly")
def verify(ctx) -> dict:
    from zhifa.evidence import selectors, services
    from zhifa.evidence.models import EvidenceItem
    from zhifa.jobs.services import JobFailed

    total = EvidenceItem.objects.count()
    checked, bad = 0, []
    for item in selectors.items_to_verify():
        outcome = services.evidence_verify(item=item, actor=None)
        checked += 1
        if not outcome.ok:
            bad.append(outcome.message)
        ctx.progress(checked, total, f"已校验 {checked} 件")
    summary = f"共校验 {checked} 件证据材料，{len(bad)} 件异常"
    if bad:
        raise JobFailed(f"{summary}：{'；'.join(bad[:5])}")
    return {"summary": summary, "checked": checked}

"""What the credit file does when something happens below it (see :mod:`zhifa.core.events`); subscribed
in :meth:`zhifa.credit.apps.CreditConfig.ready`.

All in the cause's transaction: a credit record must never exist without the public record or decision it
comes from, nor be missing for one that stands.
"""

from __future__ import annotations

from datetime import date

from zhifa.core import events
from zhifa.disclosure.events import DAILY_RUN, DECISION_RECORDED, RECORD_EXPIRED, RECORD_WITHDRAWN
from zhifa.registry.enums import PermitAction
from zhifa.registry.events import PERMIT_DECIDED
from zhifa.registry.models import PermitDecision
from zhifa.registry.services import GRANTING, last_revocation

from .models import Category, Effect
from .services import (
    credit_record_add,
    credit_record_expire_for_disclosure,
    credit_record_from_disclosure,
    credit_record_void_for_disclosure,
    credit_record_void_for_source,
    credit_tick,
)


def permit_credit(*, decision: PermitDecision, actor, publish_on: date | None, immediately: bool) -> None:
    """The credit side of a 许可决定. A granting decision reaches the credit file with its public record (credit_record_from_disclosure);
    an ending one is filed here: 撤销 of a permit obtained by 欺骗、贿赂 (Art 69 para 2, Art 79) counts
    against the holder; 注销, 暂扣 and 吊销 are neutral here (暂扣 and 吊销 count through their 行政处罚 record);
    a 发还 only ends a 暂扣 and is not filed. A 恢复 is not filed either: the 吊销 it undoes no longer stands,
    so the 吊销's record is void (as a revoked decision's credit record is), and the granting decision's
    record comes back with its public record (``zhifa.disclosure.listeners.permit_disclose``)."""
    if decision.action in GRANTING or decision.action == PermitAction.RETURN:
        return
    if decision.action == PermitAction.RESTORE:
        revoked = last_revocation(decision.licence)
        if revoked is not None:
            credit_record_void_for_source(
                source_ref=f"registry.permitdecision:{revoked.pk}",
                on=decision.decided_on,
                actor=actor,
                reason=f"吊销决定（{revoked.doc_no}）已被撤销（{decision.appeal_doc_no}），恢复{decision.certificate_name}",
            )
        return

    lic = decision.licence
    holder = lic.enterprise or lic.person or lic.vehicle
    owner = lic.enterprise or (lic.vehicle.enterprise if lic.vehicle_id else None)
    credit_record_add(
        org=decision.org,
        subject_ref=f"{holder._meta.model_name}:{holder.pk}",
        subject_name=owner.name if owner is not None else (lic.person.name if lic.person_id else lic.vehicle.plate),
        subject_code=owner.uscc if owner is not None else (lic.vehicle.plate if lic.vehicle_id else ""),
        category=Category.PERMIT,
        title=f"{decision.get_action_display()}{decision.certificate_name}（{decision.doc_no}）",
        source=decision.authority.name,
        source_ref=f"registry.permitdecision:{decision.pk}",
        occurred_on=decision.decided_on,
        effect=Effect.NEGATIVE if decision.holder_fault else Effect.NEUTRAL,
        actor=actor,
    )


def subscribe() -> None:
    events.subscribe(DECISION_RECORDED, credit_record_from_disclosure)
    events.subscribe(RECORD_WITHDRAWN, credit_record_void_for_disclosure)
    events.subscribe(RECORD_EXPIRED, credit_record_expire_for_disclosure)
    events.subscribe(DAILY_RUN, credit_tick)
    events.subscribe(PERMIT_DECIDED, permit_credit)

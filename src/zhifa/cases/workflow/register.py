"""立案: the head approves the filing within the limitation period; officers are assigned (at least two,
certified) and a recusal (回避) requested against one of them is decided."""

from __future__ import annotations

from zhifa.accounts.models import Officer
from zhifa.accounts.selectors import jurisdiction_of

from .. import clocks as ck
from ..enums import ClockKind
from ..errors import CaseError
from ..models import CaseOfficer
from .base import check_officers


def check_within_limitation(case, data, actor, on):
    """立案 only while the violation is still within the limitation period (处罚法 Art 36)."""
    end = ck.limitation_end(case)
    if case.discovered_on > end.due:
        raise CaseError.LIMITATION.error(
            detail=f"违法行为于 {end.due:%Y-%m-%d} 已满追责时效，发现于 {case.discovered_on:%Y-%m-%d}"
        )


def register_case(case, data, actor, on, after):
    """Records who approved the filing and when; starts the decision time limit (处罚法 Art 60)."""
    case.registered_on = on
    case.registered_by = actor
    dl = ck.decision_limit(case)
    case.limit_due = dl.due
    after.append(lambda: ck.clock_set(case, ClockKind.DECISION_LIMIT, dl, on))


def _officers_from(data, actor) -> list[Officer]:
    ids = data.get("officer_ids") or []
    if isinstance(ids, str):
        ids = [i for i in ids.replace("，", ",").split(",") if i.strip()]
    ids = [int(i) for i in ids]
    root = jurisdiction_of(actor.org)
    found = list(
        Officer.objects.filter(pk__in=ids, org__path__startswith=root.path).prefetch_related("certificates")
    )
    if len(found) != len(set(ids)):
        raise CaseError.INVALID.error(detail="执法人员不存在或不属于本单位", fields={"officer_ids": "无效"})
    return found


def check_assigned_officers(case, data, actor, on):
    """At least two officers, each with a certificate valid on the day (处罚法 Art 42); the 主办 (picked by
    name) is one of them, not silently dropped."""
    officers = _officers_from(data, actor)
    check_officers(case, on, officers)
    lead = str(data.get("lead_id") or "").strip()
    if lead and (not lead.isdigit() or int(lead) not in {o.pk for o in officers}):
        raise CaseError.INVALID.error(detail="主办人员须是本次指派的执法人员之一", fields={"lead_id": "不在所选人员中"})


def assign_officers(case, data, actor, on, after):
    """Assigns the named officers and the lead (主办); officers no longer named are removed (重新指派)."""
    officers = _officers_from(data, actor)
    lead = int(data.get("lead_id") or officers[0].pk)

    def apply():
        keep = {o.pk for o in officers}
        CaseOfficer.objects.filter(case=case, removed_on__isnull=True).exclude(officer_id__in=keep).update(
            removed_on=on, removed_reason="重新指派"
        )
        for o in officers:
            co, _ = CaseOfficer.objects.get_or_create(
                case=case, officer=o, removed_on=None, defaults={"assigned_on": on}
            )
            if co.lead != (o.pk == lead):
                co.lead = o.pk == lead
                co.save(update_fields=["lead"])

    after.append(apply)


def check_recusal_requested(case, data, actor, on):
    """A recusal is decided only on a request naming that officer (处罚法 Art 43)."""
    oid = int(data.get("officer_id") or 0)
    requested = any(
        int(s.data.get("officer_id") or 0) == oid for s in case.steps.filter(action="recusal_request")
    )
    if not requested:
        raise CaseError.RECUSAL.error(detail="没有针对该执法人员的回避申请")


def apply_recusal_decision(case, data, actor, on, after):
    """A recusal granted (准予回避) removes the officer from the case; one refused changes nothing."""
    if str(data.get("granted")).lower() in ("1", "true", "on", "yes"):
        oid = int(data["officer_id"])
        after.append(
            lambda: CaseOfficer.objects.filter(case=case, officer_id=oid, removed_on__isnull=True).update(
                removed_on=on, removed_reason="回避"
            )
        )

"""Demo: a year of 行政许可决定 made through ``registry.services.permit_decide``.

The county's licences first granted within the last year are not imported: they are granted by a decision
(准予许可), and some are later changed (变更), cancelled (注销), annulled (撤销) or revoked (吊销); a few older
business permits about to expire are renewed (延续). Every decision goes through the same service as a
user's, so the 双公示 records (published on realistic days, some late; withdrawn when a later decision
changes or ends the permit) and the credit files are consistent with the licences.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from zhifa.registry.enums import LicenceKind, PermitAction, PermitCategory

# Decisions per county at scale 1.0 (the remaining licences of the year are imported, as migrated data).
DECISIONS_PER_SCALE = 200
_KIND_BY_LABEL = {label: value for value, label in LicenceKind.choices}


def split_decided(rows: list[dict], *, today: date, scale: float) -> tuple[list[dict], list[dict]]:
    """(rows to import, rows to grant by decision): licences whose validity began within the last year,
    business permits first, at most ``DECISIONS_PER_SCALE * scale`` of them."""
    start = today - timedelta(days=365)
    recent = [r for r in rows if start <= date.fromisoformat(r["valid_from"]) <= today]
    recent.sort(key=lambda r: (_KIND_BY_LABEL[r["kind"]] != LicenceKind.BUSINESS_PERMIT, r["valid_from"]))
    chosen = recent[: max(1, int(DECISIONS_PER_SCALE * scale))] if recent else []
    keys = {(r["kind"], r["number"]) for r in chosen}
    return [r for r in rows if (r["kind"], r["number"]) not in keys], chosen


class _Numbers:
    """许可决定书文号 per authority and year: 郁交运许〔2026〕15号 (continuing the numbers already used, e.g.
    by the city's decisions for another county)."""

    def __init__(self):
        self.seq: dict[tuple[int, int, str], int] = {}

    def next(self, authority, on: date, word: str = "许") -> str:
        from zhifa.registry.models import PermitDecision

        prefix = f"{authority.short_name or authority.name[:1]}交运{word}〔{on.year}〕"
        key = (authority.pk, on.year, word)
        if key not in self.seq:
            self.seq[key] = PermitDecision.objects.filter(authority=authority, doc_no__startswith=prefix).count()
        self.seq[key] += 1
        return f"{prefix}{self.seq[key]}号"


def load_demo_permits(*, bureau, rows: list[dict], today: date, seed: int) -> dict[str, int]:
    """Grant ``rows`` (licence rows of the generator) by decision, then change or end some; returns the
    number of decisions by action."""
    from zhifa.accounts.models import Org
    from zhifa.registry.models import Licence
    from zhifa.registry.services import permit_decide

    rng = random.Random(f"{seed}:{bureau.name}")  # not the pk: PostgreSQL's sequences differ between runs
    authorities = {o.name: o for o in Org.objects.filter(name__in={r["issuing_authority"] for r in rows})}
    numbers = _Numbers()
    counts: dict[str, int] = defaultdict(int)

    def decide(action: str, decided: date, data: dict, **kw):
        # grants: some published after the 7 working days; later decisions: withdrawn within the 3
        delay = rng.choice([0, 1, 2, 3, 4, 6, 8, 13] if action == PermitAction.GRANT else [0, 1, 1, 2])
        d = permit_decide(
            action=action, data={**data, "decided_on": decided.isoformat()}, actor=None, org=bureau,
            publish_on=min(today, decided + timedelta(days=delay)), immediately=True, today=today, **kw,
        )
        counts[action] += 1
        return d

    granted = []
    for r in sorted(rows, key=lambda r: r["valid_from"]):
        kind = _KIND_BY_LABEL[r["kind"]]
        decided = date.fromisoformat(r["valid_from"])
        authority = authorities[r["issuing_authority"]]
        content = {
            LicenceKind.BUSINESS_PERMIT: r.get("scope", ""),
            LicenceKind.VEHICLE_CERT: f"道路运输证配发（{r.get('holder_plate', '')}）",
            LicenceKind.QUALIFICATION: r.get("category", ""),
        }[kind]
        granted.append(decide(PermitAction.GRANT, decided, {
            **{k: r.get(k, "") for k in ("kind", "number", "holder_uscc", "holder_plate", "holder_plate_color",
                                         "holder_idcard", "category")},
            "doc_no": numbers.next(authority, decided),
            # 从业资格 is a 资格 recognised by examination (认可); the operating permits are 普通许可
            "permit_category": PermitCategory.RECOGNITION if kind == LicenceKind.QUALIFICATION
            else PermitCategory.ORDINARY,
            "content": content or r["kind"],
            "valid_from": r["valid_from"],
            "valid_to": r["valid_to"],
        }, authority=authority))
    # later in the year: about one in eight changed, one in twenty cancelled, one in thirty annulled or
    # revoked; at least one of each where there are four decisions or more
    order = list(range(len(granted)))
    rng.shuffle(order)
    n = len(order)
    plan: dict[str, list[int]] = {}
    if n >= 4:
        sizes = {"change": max(1, n // 8), "cancel": max(1, n // 20), "end": max(1, n // 30)}
        at = 0
        for what, size in sizes.items():
            plan[what], at = order[at: at + size], at + size
    for what, picks in plan.items():
        for i in picks:
            g = granted[i]
            # 20-150 days after the grant, but by today (a grant of the last weeks is changed or ended today)
            decided = min(g.decided_on + timedelta(days=rng.randint(20, 150)), today)
            if decided > g.licence.valid_to:
                continue
            common = {"decided_on": decided.isoformat()}
            if what == "change":
                content = g.content + ("；大型物件运输" if g.licence.kind == LicenceKind.BUSINESS_PERMIT
                                       else "（车辆技术等级变更为一级）")
                decide("change", decided, {**common, "doc_no": numbers.next(g.authority, decided),
                                           "content": content, "reason": "被许可人申请变更许可事项"},
                       licence=g.licence, authority=g.authority)
            elif what == "cancel":
                decide("cancel", decided, {**common, "doc_no": numbers.next(g.authority, decided, "注"),
                                           "reason": "被许可人申请终止经营，依法办理注销"},
                       licence=g.licence, authority=g.authority)
            elif g.licence.kind == LicenceKind.VEHICLE_CERT:
                decide("revoke", decided, {**common, "doc_no": numbers.next(g.authority, decided, "罚"),
                                           "reason": "货运车辆1年内违法超限运输超过3次，吊销车辆营运证"},
                       licence=g.licence, authority=g.authority)
            else:
                decide("annul", decided, {**common, "doc_no": numbers.next(g.authority, decided, "撤"),
                                          "reason": "申请材料中的安全生产管理制度文本系伪造，以欺骗手段取得许可",
                                          "holder_fault": "1"},
                       licence=g.licence, authority=g.authority)
    # older business permits (imported) about to expire, renewed before their term ends (行政许可法 Art 50)
    expiring = Licence.objects.filter(
        org=bureau, kind=LicenceKind.BUSINESS_PERMIT, status="valid", decisions__isnull=True,
        valid_to__gte=today, valid_to__lte=today + timedelta(days=30),
    ).order_by("pk")
    for lic in expiring[:3]:
        authority = authorities.get(lic.issuing_authority) or Org.objects.filter(name=lic.issuing_authority).first()
        if authority is None:
            continue
        decided = today - timedelta(days=rng.randint(0, 5))
        decide("renewal", decided, {
            "doc_no": numbers.next(authority, decided), "permit_category": PermitCategory.ORDINARY,
            "valid_to": (lic.valid_to + timedelta(days=4 * 365)).isoformat(),
        }, licence=lic, authority=authority)
    return dict(counts)


"""规则库 pages: the violation catalogue (search, detail with articles, penalty, tiers, 免罚 and version
history), new versions by the 法制审核人员, the legal-basis library and the procedure parameters.

Business roles read; only the 法制审核人员 publishes versions (the service checks it again); the 三员
get 403 (三员分立).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from zhifa.accounts.views_admin import business_required, error_context
from zhifa.core.errors import DomainError
from zhifa.core.listing import list_page
from zhifa.rules import datafile, selectors, services
from zhifa.rules.models import ExemptionKind, SeverityClass, Tier, yuan
from zhifa.rules.params import all_params

TABS = [
    ("violations", "执法事项", "/rules/"),
    ("bases", "法律法规", "/rules/bases/"),
    ("params", "程序参数", "/rules/params/"),
]


def _ctx(tab: str, **extra) -> dict:
    return {"tabs": TABS, "tab": tab, **extra}


def _date_arg(request, name: str = "on") -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def _province_arg(request, actor) -> str:
    raw = request.GET.get("province")
    if raw is None:
        return selectors.province_of(actor)
    return datafile.province_code_safe(raw)


@business_required
def violation_list(request):
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    on = _date_arg(request) or date.today()
    province = _province_arg(request, request.user)
    qs = selectors.violations_current(request.user, on=on, province=province, q=q, category=category)
    return list_page(
        request,
        "rules/violation_list.html",
        qs,
        context=_ctx(
            "violations",
            q=q,
            category=category,
            categories=selectors.categories(),
            on=on,
            province=province,
            province_label=datafile.province_label(province),
            provinces=sorted(datafile.PROVINCES.items()),
        ),
    )


def _tier_rows(version) -> list[dict]:
    labels = dict(Tier.choices)
    order = {t: i for i, t in enumerate(Tier.values)}
    rows = []
    for t in sorted(version.tiers, key=lambda t: order.get(t.get("tier"), 99)):
        lo, hi = int(t.get("min_fen", 0)), int(t.get("max_fen", 0))
        amount = "不予罚款" if hi == 0 else (yuan(lo) if lo == hi else f"{yuan(lo)} 至 {yuan(hi)}")
        rows.append(
            {
                "label": labels.get(t.get("tier"), t.get("tier")),
                "amount": amount,
                "conditions": t.get("conditions", ""),
                "note": t.get("note", ""),
            }
        )
    return rows


def _exemption_rows(version) -> list[dict]:
    labels = dict(ExemptionKind.choices)
    return [
        {
            "label": labels.get(e.get("kind"), e.get("kind")),
            "conditions": e.get("conditions", []),
            "source": e.get("source", ""),
            "mandatory": e.get("mandatory", False),
            "education": e.get("education", ""),
            "deadline": e.get("correction_deadline", ""),
        }
        for e in version.exemptions
    ]


@business_required
def violation_detail(request, code: str):
    on = _date_arg(request) or date.today()
    province = _province_arg(request, request.user)
    try:
        version = selectors.violation_get(code, on=on, province=province)
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "rules/violation_detail.html",
        _ctx(
            "violations",
            v=version,
            on=on,
            province=province,
            province_label=datafile.province_label(province),
            tiers=_tier_rows(version),
            exemptions=_exemption_rows(version),
            history=selectors.violation_history(code),
            can_edit=request.user.has_role(*services.EDITORS)
            and selectors.version_binds_only_own_units(request.user, province),
        ),
    )


TIER_FIELDS = [(t.value, t.label) for t in Tier]


def _parse_yuan(raw: str, field: str, errors: dict) -> int | None:
    raw = (raw or "").strip().replace(",", "")
    if raw == "":
        return None
    try:
        value = round(float(raw) * 100)
    except ValueError:
        errors[field] = "应为金额（元）"
        return None
    if value < 0:
        errors[field] = "不能为负数"
        return None
    return int(value)


@business_required
def violation_new_version(request, code: str):
    """法制审核人员: edit → a new version effective from a date, with a reason (audited)."""
    if not request.user.has_role(*services.EDITORS):
        raise PermissionDenied
    province = datafile.province_code_safe(request.GET.get("province", request.POST.get("province", "")))
    if not selectors.version_binds_only_own_units(request.user, province):
        raise PermissionDenied(services.SCOPE_REFUSAL)
    try:
        base = selectors.violation_get(code, province=province)
    except DomainError:
        raise Http404 from None
    by_tier = {t.get("tier"): t for t in base.tiers}
    ctx = _ctx(
        "violations",
        v=base,
        province=province,
        province_label=datafile.province_label(province),
        field_errors={},
        tier_fields=[],
        provinces=sorted(datafile.PROVINCES.items()),
    )
    values = {
        "effective_from": "",
        "reason": "",
        "name": base.name,
        "min_yuan": _fmt(base.min_fen),
        "max_yuan": _fmt(base.max_fen),
        "summary_allowed": base.summary_allowed,
        "other_sanctions": "\n".join(base.other_sanctions),
        "note": base.note,
        "severity": base.severity,
        "severity_source": base.severity_source,
    }
    tiers_in = {
        t: {
            "conditions": by_tier.get(t, {}).get("conditions", ""),
            "min": _fmt(by_tier[t]["min_fen"]) if t in by_tier else "",
            "max": _fmt(by_tier[t]["max_fen"]) if t in by_tier else "",
        }
        for t, _ in TIER_FIELDS
    }
    status = 200
    if request.method == "POST":
        errors: dict[str, str] = {}
        post = request.POST
        values.update(
            {
                k: post.get(k, "").strip()
                for k in ("effective_from", "reason", "name", "other_sanctions", "note", "severity", "severity_source")
            }
        )
        values["summary_allowed"] = post.get("summary_allowed") == "1"
        values["min_yuan"], values["max_yuan"] = post.get("min_yuan", ""), post.get("max_yuan", "")
        try:
            start = date.fromisoformat(values["effective_from"])
        except ValueError:
            start = None
            errors["effective_from"] = "请填写生效日期（YYYY-MM-DD）"
        min_fen = _parse_yuan(values["min_yuan"], "min_yuan", errors)
        max_fen = _parse_yuan(values["max_yuan"], "max_yuan", errors)
        tiers = []
        for t, _label in TIER_FIELDS:
            cond = post.get(f"tier_{t}_conditions", "").strip()
            lo_raw, hi_raw = post.get(f"tier_{t}_min", ""), post.get(f"tier_{t}_max", "")
            tiers_in[t] = {"conditions": cond, "min": lo_raw, "max": hi_raw}
            if not cond and not lo_raw.strip() and not hi_raw.strip():
                continue
            lo = _parse_yuan(lo_raw, f"tier_{t}", errors) or 0
            hi = _parse_yuan(hi_raw, f"tier_{t}", errors) or 0
            tiers.append({"tier": t, "conditions": cond, "min_fen": lo, "max_fen": hi})
        if not errors:
            changes = {
                "name": values["name"],
                "summary_allowed": values["summary_allowed"],
                "tiers": tiers,
                "other_sanctions": [s.strip() for s in values["other_sanctions"].splitlines() if s.strip()],
                "note": values["note"],
                "severity": values["severity"],
                "severity_source": values["severity_source"],
            }
            if min_fen is not None:
                changes["min_fen"] = min_fen
            if max_fen is not None:
                changes["max_fen"] = max_fen
            try:
                version = services.violation_version_create(
                    code=code,
                    effective_from=start,
                    reason=values["reason"],
                    changes=changes,
                    actor=request.user,
                    province=province,
                )
            except DomainError as e:
                ctx.update(error_context(e))
                status = 422
            else:
                messages.success(
                    request, f"已发布 {code} 的新版本，自 {version.effective_from:%Y-%m-%d} 起施行"
                )
                return redirect(
                    f"/rules/violations/{code}/?on={version.effective_from:%Y-%m-%d}&province={province}"
                )
        else:
            ctx.update(error="请更正标出的字段", field_errors=errors)
            status = 422
    ctx["values"] = values
    ctx["severity_choices"] = SeverityClass.choices
    ctx["tier_fields"] = [
        {"tier": t, "label": label, **tiers_in[t], "error": ctx["field_errors"].get(f"tier_{t}", "")}
        for t, label in TIER_FIELDS
    ]
    return render(request, "rules/version_form.html", ctx, status=status)


def _fmt(fen: int) -> str:
    return str(fen // 100) if fen % 100 == 0 else f"{fen / 100:.2f}"


@business_required
def basis_list(request):
    q = request.GET.get("q", "").strip()
    return list_page(
        request, "rules/basis_list.html", selectors.legal_bases(request.user, q=q), context=_ctx("bases", q=q)
    )


@business_required
def param_list(request):
    on = _date_arg(request) or date.today()
    province = _province_arg(request, request.user)
    return render(
        request,
        "rules/param_list.html",
        _ctx(
            "params",
            params=all_params(on=on, province=province),
            on=on,
            province=province,
            province_label=datafile.province_label(province),
        ),
    )

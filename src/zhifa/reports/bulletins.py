"""月度通报 (the monthly bulletin) of a bureau or a 中队: the chosen indicators for the month with the previous
month and the change, the units ranked on each indicator, and the named problems (overdue legal deadlines,
overdue complaints, 两客一危 enterprises below the thresholds, inspections that found problems, 风险台账 tasks
past their deadline). Numbered
per unit and year when generated, written as DOCX from a replaceable template (``ZHIFA_BULLETIN_TEMPLATE``)
by a background job, archived under the data directory, then 印发 (issued) and 公开 (published) by the head."""

from __future__ import annotations

import hashlib
import os
import re
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.accounts.enums import Role
from zhifa.accounts.models import Org
from zhifa.cases.enums import ClockStatus
from zhifa.cases.models import CaseClock
from zhifa.complaints.selectors import orders_visible
from zhifa.core import indicators as registry
from zhifa.core.audit import audit_record
from zhifa.inspections.models import ResultKind
from zhifa.inspections.selectors import records_visible as inspection_records
from zhifa.monitoring.report import below_threshold
from zhifa.monitoring.selectors import runs_visible
from zhifa.people.selectors import risks_overdue_at

from .errors import ReportError
from .models import Bulletin, BulletinState
from .services import fmt

DEFAULT_INDICATORS = [
    "cases.registered",
    "cases.penalties",
    "cases.fines",
    "overload.confirmed",
    "inspections.inspected",
    "inspections.problem_rate",
    "disclosure.on_time_rate",
    "complaints.received",
    "complaints.close_rate",
    "complaints.on_time_rate",
]
TEMPLATE = Path(__file__).resolve().parent / "templates_docx" / "bulletin.docx"
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SHOWN = 20  # named items per problem kind (the count is of all)


def template_path() -> Path:
    """The bureau's own template when ``ZHIFA_BULLETIN_TEMPLATE`` names one, else the default."""
    own = os.environ.get("ZHIFA_BULLETIN_TEMPLATE", "").strip()
    return Path(own) if own else TEMPLATE


def month_range(month: str) -> tuple[date, date]:
    y, m = (int(x) for x in month.split("-"))
    start = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


def previous_month(month: str) -> str:
    start, _ = month_range(month)
    return (start - timedelta(days=1)).strftime("%Y-%m")


def _subtree_ids(org: Org) -> set[str]:
    return {str(pk) for pk in Org.objects.filter(path__startswith=org.path).values_list("pk", flat=True)}


def unit_value(ind, actor, *, start: date, end: date, org: Org):
    """``ind`` for ``org`` and its sub-units: the total when ``org`` is the actor's own unit (or the
    indicator has no 承办单位 dimension), else the values of the units under ``org`` added up (shares and
    averages from their numerators and denominators)."""
    if org.pk == actor.org_id or "org" not in ind.dimensions:
        return ind.total(actor, start=start, end=end).value
    ids = _subtree_ids(org)
    vals = [v for v in ind.values(actor, start=start, end=end, dimension="org") if v.key in ids]
    if not vals:
        return None if ind.unit in ("%", "小时") else 0
    n = sum(v.numerator or 0 for v in vals)
    d = sum(v.denominator or 0 for v in vals)
    if ind.unit == "%":
        return round(100 * n / d, 1) if d else None
    if ind.unit == "小时":
        return round(n / d, 1) if d else None
    return round(sum(v.value or 0 for v in vals), 2)


def _change(ind, cur, old) -> str:
    if cur is None or old is None:
        return "—"
    diff = round(float(cur) - float(old), 2)
    if ind.unit == "%":
        return f"{diff:+g} 个百分点"
    pct = f"（{100 * diff / float(old):+.1f}%）" if old else ""
    return f"{diff:+g}{ind.unit}{pct}"


def _ranking(ind, actor, start: date, end: date, org: Org) -> dict | None:
    if "org" not in ind.dimensions:
        return None
    ids = _subtree_ids(org)
    vals = [
        v
        for v in ind.values(actor, start=start, end=end, dimension="org")
        if v.key in ids and v.value is not None
    ]
    if len(vals) < 2:
        return None
    vals.sort(key=lambda v: (-float(v.value), v.label))
    text = "；".join(f"{i}. {v.label} {fmt(v.value)}{ind.unit}" for i, v in enumerate(vals, start=1))
    return {"name": ind.name, "unit": ind.unit, "text": text}


def _problems(actor, org: Org, month: str, start: date, end: date, today: date) -> list[dict]:
    out: list[dict] = []
    in_unit = {"org__path__startswith": org.path}
    clocks = (
        CaseClock.objects.filter(
            status=ClockStatus.RUNNING,
            due__lt=min(today, end + timedelta(days=1)),
            case__in=_visible_cases(actor),
            **in_unit,
        )
        .select_related("case", "org")
        .order_by("due", "pk")
    )
    n = clocks.count()
    if n:
        named = "、".join(
            f"{c.case.number}（{c.get_kind_display()}，{c.due:%m月%d日}届满，{c.org.name}）"
            for c in clocks[:SHOWN]
        )
        out.append({"text": f"法定期限已超期 {n} 项：{named}{'等' if n > SHOWN else ''}。"})
    orders = (
        orders_visible(actor).filter(closed_on__isnull=True, due__lt=today, **in_unit).order_by("due", "pk")
    )
    n = orders.count()
    if n:
        named = "、".join(f"{o.number}（{o.due:%m月%d日}到期）" for o in orders[:SHOWN])
        out.append({"text": f"投诉举报超期未办结 {n} 件：{named}{'等' if n > SHOWN else ''}。"})
    run = runs_visible(actor).filter(month=month).first()
    if run is not None:
        below = below_threshold(run)
        if below:
            out.append(
                {
                    "text": "两客一危动态监控指标未达要求的企业："
                    + "；".join(f"{e}（{why}）" for e, why in below)
                    + "。"
                }
            )
    found = (
        inspection_records(actor)
        .filter(inspected_on__gte=start, inspected_on__lte=end)
        .exclude(result=ResultKind.NONE)
        .filter(assignment__task__plan__org__path__startswith=org.path)
    )
    n = found.count()
    if n:
        named = "、".join(f"{r.assignment.enterprise}（{r.get_result_display()}）" for r in found[:SHOWN])
        out.append({"text": f"双随机抽查发现问题 {n} 户次：{named}{'等' if n > SHOWN else ''}。"})
    risks = risks_overdue_at(actor, min(today, end + timedelta(days=1))).filter(**in_unit)
    n = risks.count()
    if n:
        named = "、".join(f"{t.title}（{t.org.name}，{t.deadline:%m月%d日}到期）" for t in risks[:SHOWN])
        out.append({"text": f"风险台账任务逾期未完成 {n} 项：{named}{'等' if n > SHOWN else ''}。"})
    return out


def _visible_cases(actor):
    from zhifa.cases.selectors import cases_visible

    return cases_visible(actor).values("pk")


def bulletin_content(
    actor, *, org: Org, month: str, indicator_ids: list[str], today: date, progress=None
) -> dict:
    start, end = month_range(month)
    pstart, pend = month_range(previous_month(month))
    rows, rankings = [], []
    inds = [registry.get(i) for i in indicator_ids if registry.exists(i)]
    for n, ind in enumerate(inds, start=1):
        cur = unit_value(ind, actor, start=start, end=end, org=org)
        old = unit_value(ind, actor, start=pstart, end=pend, org=org)
        rows.append(
            {
                "id": ind.id,
                "name": ind.name,
                "unit": ind.unit,
                "value": f"{fmt(cur)}{ind.unit}",
                "previous": f"{fmt(old)}{ind.unit}",
                "change": _change(ind, cur, old),
                "raw": cur,
                "source": ind.source_label,
            }
        )
        r = _ranking(ind, actor, start, end, org)
        if r:
            rankings.append(r)
        if progress:
            progress(n, len(inds) + 1, f"已统计 {ind.name}")
    y, m = month.split("-")
    return {
        "org": org.name,
        "month": month,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "month_label": f"{y}年{int(m)}月",
        "indicators": rows,
        "rankings": rankings,
        "problems": _problems(actor, org, month, start, end, today),
        "generated_on": f"{today.year}年{today.month}月{today.day}日",
    }


def _number(org: Org, year: int, seq: int) -> str:
    return f"{org.short_name or org.name}通报〔{year}〕{seq}号"


@transaction.atomic
def bulletin_request(
    *, actor, org: Org, month: str, indicator_ids: list[str], run_now: bool = False
) -> Bulletin:
    """Number the bulletin and queue its generation (``reports.bulletin``); the page follows the job."""
    from zhifa.jobs.services import job_submit

    if not MONTH.match(month or ""):
        raise ReportError.BAD_MONTH.error(month=month)
    ids = [i for i in indicator_ids if registry.exists(i)]
    if not ids:
        raise ReportError.NO_INDICATORS.error()
    if Bulletin.objects.filter(org=org, month=month).exists():
        raise ReportError.BULLETIN_EXISTS.error(org=org.name, month=month)
    year = int(month[:4])
    seq = (
        Bulletin.objects.select_for_update()
        .filter(org=org, month__startswith=f"{year}-")
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
        or 0
    ) + 1
    b = Bulletin.objects.create(
        org=org,
        month=month,
        seq=seq,
        number=_number(org, year, seq),
        indicator_ids=ids,
        created_by=actor.get_username(),
    )
    job = job_submit(
        "reports.bulletin", params={"bulletin": b.pk}, actor=actor, org_id=org.pk, run_now=run_now
    )
    Bulletin.objects.filter(pk=b.pk).update(job_id=job.pk)
    audit_record(
        action="reports.bulletin.request", actor=actor, target=b, after={"month": month, "indicators": ids}
    )
    b.refresh_from_db()
    return b


def archive_dir() -> Path:
    d = Path(settings.DATA_DIR) / "reports" / "bulletins"
    d.mkdir(parents=True, exist_ok=True)
    return d


def bulletin_build(ctx, pk: int) -> dict:
    """The job's work: compute the content as the requester, fill the template, archive the file."""
    from zhifa.accounts.models import User
    from zhifa.documents.render import render_docx

    b = Bulletin.objects.select_related("org").get(pk=pk)
    actor = User.objects.get(pk=ctx.job.actor_id)
    ctx.progress(0, len(b.indicator_ids) + 1, "开始统计", force=True)
    content = bulletin_content(
        actor,
        org=b.org,
        month=b.month,
        indicator_ids=b.indicator_ids,
        today=timezone.localdate(),
        progress=ctx.progress,
    )
    content["number"] = b.number
    data = render_docx(template_path(), content)
    path = archive_dir() / f"bulletin-{b.pk}.docx"
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    Bulletin.objects.filter(pk=b.pk).update(
        content=content, file=path.name, state=BulletinState.DRAFT, digest=hashlib.sha256(data).hexdigest()
    )
    ctx.progress(len(b.indicator_ids) + 1, len(b.indicator_ids) + 1, f"已生成 {b.number}", force=True)
    return {"summary": f"已生成 {b.number}", "bulletin": b.pk}


def bulletin_file(b: Bulletin) -> bytes:
    if b.state in (BulletinState.GENERATING, BulletinState.FAILED) or not b.file:
        raise ReportError.NOT_READY.error()
    data = (archive_dir() / b.file).read_bytes()
    if hashlib.sha256(data).hexdigest() != b.digest:
        raise ReportError.FILE_CHANGED.error(number=b.number)
    return data


@transaction.atomic
def bulletin_move(*, actor, bulletin: Bulletin, to: str) -> Bulletin:
    """印发 (generated → issued) and 公开 (issued → published), by the head."""
    if actor is None or not actor.has_role(Role.HEAD):
        raise ReportError.NOT_HEAD.error()
    allowed = {BulletinState.ISSUED: BulletinState.DRAFT, BulletinState.PUBLISHED: BulletinState.ISSUED}
    b = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if allowed.get(to) != b.state:
        raise ReportError.BAD_MOVE.error(state=b.get_state_display())
    b.state = to
    if to == BulletinState.ISSUED:
        b.issued_by, b.issued_at = str(actor), timezone.now()
    else:
        b.published_at = timezone.now()
    b.save()
    audit_record(action=f"reports.bulletin.{to}", actor=actor, target=b, after={"state": to})
    return b
